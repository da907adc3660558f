using System.Collections.Concurrent;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;

namespace EserSecurity.Tests.Support;

/// <summary>
/// Counts each component's own renders, read from the Blazor renderer's debug log. bUnit's <c>RenderCount</c> also
/// counts every render of a component's descendants (one live update moves the queue grid's by dozens), so it cannot
/// say how often the component itself rendered. Register it as the bUnit context's <see cref="ILoggerFactory"/> before
/// the first render.
/// </summary>
public sealed class RenderLog : ILoggerFactory, ILogger
{
    private const string RendererCategory = "Microsoft.AspNetCore.Components.RenderTree.Renderer";

    private readonly ConcurrentQueue<Type> _rendered = new();
    private readonly ConcurrentQueue<Type> _created = new();

    /// <summary>How many times a component of this type rendered since the log was created or last cleared.</summary>
    public int Count<TComponent>() => _rendered.Count(type => type == typeof(TComponent));

    /// <summary>How many components of this type were created inside another since the log was created or last cleared.</summary>
    public int Created<TComponent>() => _created.Count(type => type == typeof(TComponent));

    /// <summary>How many components of any type were created inside another since the log was created or last cleared.</summary>
    public int CreatedInAll => _created.Count;

    public void Clear()
    {
        _rendered.Clear();
        _created.Clear();
    }

    public ILogger CreateLogger(string categoryName) => categoryName == RendererCategory ? this : NullLogger.Instance;

    public void AddProvider(ILoggerProvider provider)
    {
    }

    public IDisposable? BeginScope<TState>(TState state) where TState : notnull => null;

    public bool IsEnabled(LogLevel logLevel) => true;

    public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
    {
        if (eventId.Name is "RenderingComponent" or "InitializingChildComponent" && state is IReadOnlyList<KeyValuePair<string, object?>> values
            && values.FirstOrDefault(value => value.Key == "ComponentType").Value is Type type)
        {
            (eventId.Name == "RenderingComponent" ? _rendered : _created).Enqueue(type);
        }
    }

    public void Dispose()
    {
    }
}
