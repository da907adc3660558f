using System.Diagnostics.Metrics;
using EserSecurity.Core.Changes;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging.Abstractions;

namespace EserSecurity.Tests.Support;

/// <summary>An in-process change feed of its own, outside any test database's services, with metrics nobody reads.</summary>
public static class StandaloneFeed
{
    private static readonly IMeterFactory Meters = new ServiceCollection().AddMetrics().BuildServiceProvider().GetRequiredService<IMeterFactory>();

    public static InProcessAccessChangeFeed Create() => new(NullLogger<InProcessAccessChangeFeed>.Instance, new ConsoleMetrics(Meters));
}
