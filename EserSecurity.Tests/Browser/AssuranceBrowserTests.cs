using System.Globalization;
using System.Net;
using System.Net.Sockets;
using EserSecurity.Core.Assurance;
using EserSecurity.Core.Data;
using EserSecurity.Dashboard.Hosting;
using EserSecurity.DemoState;
using EserSecurity.Tests.Core.Documents;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Playwright;

namespace EserSecurity.Tests.Browser;

[Collection(BrowserCollection.Name)]
public sealed class AssuranceBrowserTests(ConsoleServer server)
{
    private async Task<(string StaffId, string FullName)> StaffUserAsync()
    {
        await using var db = await server.Services.GetRequiredService<IDbContextFactory<EserSecurityDbContext>>().CreateDbContextAsync();
        var person = await db.StaffMembers.Where(s => s.Username == DemoPeople.StaffUser).Select(s => new { s.StaffId, s.FirstName, s.LastName }).SingleAsync();
        return (person.StaffId, $"{person.FirstName} {person.LastName}");
    }

    private async Task<StatementView> CurrentStatementAsync() =>
        await server.Services.GetRequiredService<StatementService>().GetCurrentAsync(DateOnly.FromDateTime(DateTime.UtcNow))
        ?? throw new InvalidOperationException("The Small demo state publishes this school year's statement.");

    private static int Figure(string text) => int.Parse(text.Trim(), NumberStyles.AllowThousands, CultureInfo.InvariantCulture);

    private static ILocator PersonRow(IPage page, string name) => page.Locator("tbody.mud-table-body tr", new() { HasText = name });

    [Fact]
    public async Task StaffUserSigns_DownloadsThePdf_TheCodeVerifies_AndTheCoordinatorsOpenStatusPageCountsThemWithoutReload()
    {
        var (staffId, fullName) = await StaffUserAsync();
        var statement = await CurrentStatementAsync();

        // The coordinator's status page is open before the signature.
        var coordinator = await server.SignInAsync(DemoPeople.DistrictCoordinator);
        await coordinator.GotoAsync($"/assurance/status?search={staffId}");
        await ConsoleServer.WaitForCircuitAsync(coordinator);
        await Assertions.Expect(PersonRow(coordinator, fullName)).ToContainTextAsync(new System.Text.RegularExpressions.Regex("Due|Overdue"));
        var signedBefore = Figure(await coordinator.GetByTestId("status-signed").InnerTextAsync());
        await Accessibility.AssertNoSeriousViolationsAsync(coordinator);

        // The banner leads staff.user to the signing page.
        var user = await server.SignInAsync(DemoPeople.StaffUser);
        var banner = user.GetByTestId("assurance-banner");
        await Assertions.Expect(banner).ToBeVisibleAsync();
        await banner.GetByRole(AriaRole.Link, new() { Name = "Sign confidentiality assurance" }).ClickAsync();
        await Assertions.Expect(user.GetByRole(AriaRole.Heading, new() { Level = 1 })).ToHaveTextAsync("Sign confidentiality assurance");
        await Assertions.Expect(user.GetByRole(AriaRole.Heading, new() { Name = statement.Title })).ToBeVisibleAsync();
        await Accessibility.AssertNoSeriousViolationsAsync(user);

        foreach (var acknowledgement in statement.Acknowledgements)
        {
            var box = user.GetByRole(AriaRole.Checkbox, new() { Name = acknowledgement, Exact = true });
            await user.GetByText(acknowledgement, new() { Exact = true }).ClickAsync();
            await Assertions.Expect(box).ToBeCheckedAsync();
        }
        await user.GetByLabel("Your full name").FillAsync($"  {fullName.ToUpperInvariant()} ");
        await user.GetByRole(AriaRole.Button, new() { Name = "Sign statement" }).ClickAsync();

        var codeCell = user.GetByTestId("verification-code");
        await Assertions.Expect(codeCell).ToBeVisibleAsync();
        var code = (await codeCell.InnerTextAsync()).Trim();
        Assert.Equal(code, VerificationCode.Normalize(code));
        await Accessibility.AssertNoSeriousViolationsAsync(user);

        var download = await user.RunAndWaitForDownloadAsync(() =>
            user.GetByRole(AriaRole.Link, new() { Name = "Download signed statement (PDF)" }).ClickAsync());
        var pdf = await File.ReadAllBytesAsync((await download.PathAsync())!);
        Assert.Equal("%PDF", System.Text.Encoding.ASCII.GetString(pdf, 0, 4));
        Assert.EndsWith(".pdf", download.SuggestedFilename, StringComparison.Ordinal);
        Assert.Contains(code, PdfText.All(pdf), StringComparison.Ordinal);

        // The coordinator's page, never reloaded, now counts them as signed.
        await Assertions.Expect(coordinator.GetByTestId("status-signed")).ToHaveTextAsync((signedBefore + 1).ToString("N0", CultureInfo.InvariantCulture));
        await Assertions.Expect(PersonRow(coordinator, fullName)).ToContainTextAsync("Signed");

        // The banner is gone from every page.
        await user.GetByRole(AriaRole.Link, new() { Name = "Home", Exact = true }).ClickAsync();
        await Assertions.Expect(user.GetByTestId("assurance-status").First).ToHaveTextAsync("Signed");
        await Assertions.Expect(banner).ToHaveCountAsync(0);

        // Anyone, signed in or not, can check the code.
        var visitor = await server.NewContextAsync();
        var verify = await visitor.NewPageAsync();
        await verify.GotoAsync("/verify");
        await Accessibility.AssertNoSeriousViolationsAsync(verify);
        await verify.GetByLabel("Verification code").FillAsync(code.Replace("-", " ", StringComparison.Ordinal).ToLowerInvariant());
        await verify.GetByRole(AriaRole.Button, new() { Name = "Verify" }).ClickAsync();
        await Assertions.Expect(verify.GetByRole(AriaRole.Heading, new() { Level = 2 })).ToHaveTextAsync("Current");
        await Assertions.Expect(verify.GetByTestId("verified-name")).ToHaveTextAsync(fullName);
        await Assertions.Expect(verify.GetByTestId("verification-result")).Not.ToContainTextAsync(staffId);
        await Accessibility.AssertNoSeriousViolationsAsync(verify);

        await visitor.CloseAsync();
        await coordinator.Context.CloseAsync();
        await user.Context.CloseAsync();
    }

    [Fact]
    public async Task StatementPages_ShowVersions_ReadOnlyPublishedText_AndAnEditorWithPreview_AndPassAxe()
    {
        var statement = await CurrentStatementAsync();
        var admin = await server.SignInAsync(DemoPeople.StateAdmin);
        await admin.GetByRole(AriaRole.Link, new() { Name = "Assurance statements" }).ClickAsync();
        await Assertions.Expect(admin.GetByRole(AriaRole.Heading, new() { Level = 1 })).ToHaveTextAsync("Confidentiality assurance statements");
        await Assertions.Expect(admin.GetByTestId("statement-version").First).ToContainTextAsync("Current");
        await Accessibility.AssertNoSeriousViolationsAsync(admin);

        await admin.GetByRole(AriaRole.Link, new() { Name = $"View version {statement.VersionNumber} of {statement.Year.Label}" }).ClickAsync();
        await Assertions.Expect(admin.GetByTestId("read-only")).ToContainTextAsync("can never change");
        await Assertions.Expect(admin.GetByRole(AriaRole.Textbox)).ToHaveCountAsync(0);
        await Accessibility.AssertNoSeriousViolationsAsync(admin);

        var next = new SchoolYear(statement.Year.StartYear + 1);
        await admin.GotoAsync($"/assurance/statements/new/{next.StartYear}");
        await ConsoleServer.WaitForCircuitAsync(admin);
        await admin.GetByLabel("Statement text").FillAsync("# Preview heading\nA paragraph.\n\n- A list item");
        await Assertions.Expect(admin.GetByTestId("statement-preview").GetByRole(AriaRole.Heading, new() { Name = "Preview heading" })).ToBeVisibleAsync();
        await Accessibility.AssertNoSeriousViolationsAsync(admin);
        await admin.Context.CloseAsync();
    }

    [Fact]
    public async Task VerificationLookups_AreRateLimitedPerClientAddress_WithAReadableAnswer()
    {
        // Loopback has a whole /8: this test's lookups come from their own addresses, not the browsers' 127.0.0.1.
        using var client = ClientFrom(IPAddress.Parse("127.0.0.2"));
        var limit = new VerificationOptions().LookupsPerMinute;
        var unknown = VerificationCode.New();

        var answers = new List<HttpStatusCode>();
        for (var i = 0; i < limit; i++)
        {
            using var answer = await client.GetAsync($"/verify/{unknown}");
            answers.Add(answer.StatusCode);
        }
        using var refused = await client.GetAsync($"/verify?code={unknown}");

        Assert.All(answers, status => Assert.Equal(HttpStatusCode.OK, status));
        Assert.Equal(HttpStatusCode.TooManyRequests, refused.StatusCode);
        Assert.True(refused.Headers.RetryAfter?.Delta > TimeSpan.Zero, "A refusal says when to try again.");
        var page = await refused.Content.ReadAsStringAsync();
        Assert.Contains(VerificationEndpoints.TooManyLookupsMessage, page, StringComparison.Ordinal);
        Assert.Contains("<label for=\"code\">Verification code</label>", page, StringComparison.Ordinal);

        // The empty form costs nothing, and another address is not held back.
        using var form = await client.GetAsync("/verify");
        Assert.Equal(HttpStatusCode.OK, form.StatusCode);
        using var other = ClientFrom(IPAddress.Parse("127.0.0.3"));
        using var elsewhere = await other.GetAsync($"/verify/{unknown}");
        Assert.Equal(HttpStatusCode.OK, elsewhere.StatusCode);
    }

    private HttpClient ClientFrom(IPAddress local) => new(new SocketsHttpHandler
    {
        ConnectCallback = async (context, ct) =>
        {
            var socket = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp) { NoDelay = true };
            try
            {
                socket.Bind(new IPEndPoint(local, 0));
                await socket.ConnectAsync(context.DnsEndPoint, ct);
                return new NetworkStream(socket, ownsSocket: true);
            }
            catch
            {
                socket.Dispose();
                throw;
            }
        },
    })
    { BaseAddress = new Uri(server.BaseUrl) };
}
