using System.Collections.Concurrent;
using System.Reflection;
using Microsoft.Playwright;
using Xunit.Sdk;

namespace EserSecurity.Tests.Browser;

/// <summary>
/// Records every Content-Security-Policy violation in the browser contexts a console's tests open: the page's
/// <c>securitypolicyviolation</c> events (reported through the console by a script Playwright adds to every document,
/// outside the page's policy) and Chromium's own "Refused to …" console messages, which also name violations that fire
/// no event in the page, such as a framing refused by <c>frame-ancestors</c>.
/// </summary>
public sealed class ContentSecurityPolicyWatch
{
    private const string Marker = "Content Security Policy";

    private const string ReportViolations = $$"""
        document.addEventListener('securitypolicyviolation', e =>
            console.error('{{Marker}} violation: ' + e.effectiveDirective + ' blocked ' + (e.blockedURI || 'inline') +
                ' at ' + e.sourceFile + ':' + e.lineNumber + ' (' + e.disposition + ')'), true);
        """;

    private static readonly ConcurrentDictionary<Type, ContentSecurityPolicyWatch> Fixtures = new();

    private readonly List<string> _violations = [];
    private TaskCompletionSource _reported = new(TaskCreationOptions.RunContinuationsAsynchronously);

    /// <summary>The watch of the collection fixture of this type; <see cref="FailOnContentSecurityPolicyViolationAttribute"/> checks it after each test.</summary>
    public static void RegisterFixture(Type fixture, ContentSecurityPolicyWatch watch) => Fixtures[fixture] = watch;

    internal static ContentSecurityPolicyWatch? OfFixture(Type fixture) => Fixtures.GetValueOrDefault(fixture);

    public async Task WatchAsync(IBrowserContext context)
    {
        context.Console += (_, message) =>
        {
            if (message.Text.Contains(Marker, StringComparison.Ordinal))
            {
                Record($"{message.Page?.Url}: {message.Text}");
            }
        };
        await context.AddInitScriptAsync(ReportViolations);
    }

    /// <summary>Completes once a violation has been recorded (at once if one already is).</summary>
    public Task ReportedAsync()
    {
        lock (_violations)
        {
            return _reported.Task;
        }
    }

    /// <summary>The violations recorded so far, forgotten by the watch (so that they fail no later test).</summary>
    public IReadOnlyList<string> Take()
    {
        lock (_violations)
        {
            var taken = _violations.ToList();
            _violations.Clear();
            _reported = new(TaskCreationOptions.RunContinuationsAsynchronously);
            return taken;
        }
    }

    /// <summary>Fails with every violation recorded since the last check.</summary>
    public void AssertNone()
    {
        var violations = Take();
        if (violations.Count > 0)
        {
            throw new XunitException($"The browser reported {violations.Count} Content-Security-Policy violation(s):\n{string.Join("\n", violations)}");
        }
    }

    private void Record(string violation)
    {
        lock (_violations)
        {
            _violations.Add(violation);
            _reported.TrySetResult();
        }
    }
}

/// <summary>
/// On a collection definition: after each of its tests, fails the test when any page it opened through the collection's
/// console (<see cref="ConsoleServer.NewContextAsync"/>, <see cref="ConsoleServer.SignInAsync"/>) reported a
/// Content-Security-Policy violation.
/// </summary>
[AttributeUsage(AttributeTargets.Class)]
public sealed class FailOnContentSecurityPolicyViolationAttribute(Type fixture) : BeforeAfterTestAttribute
{
    public override void After(MethodInfo methodUnderTest) => ContentSecurityPolicyWatch.OfFixture(fixture)?.AssertNone();
}
