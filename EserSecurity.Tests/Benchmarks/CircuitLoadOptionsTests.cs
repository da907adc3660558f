extern alias benchmarks;

using benchmarks::EserSecurity.Benchmarks;
using benchmarks::EserSecurity.Benchmarks.Circuits;

namespace EserSecurity.Tests.Benchmarks;

/// <summary>The circuits command's options for one or several console instances, and how circuits are spread over them.</summary>
public sealed class CircuitLoadOptionsTests
{
    [Fact]
    public void Parse_WhenNoInstancesAreGiven_StartsOneConsoleOverSqlite()
    {
        var options = CircuitLoadOptions.Parse(["circuits", "--counts", "100,1000"]);

        Assert.Equal(1, options.Instances);
        Assert.Equal(CircuitDatabase.Sqlite, options.Database);
        Assert.Empty(options.Urls);
    }

    [Fact]
    public void Parse_WhenTwoInstancesAreAsked_StartsThemOverPostgres()
    {
        var options = CircuitLoadOptions.Parse(["circuits", "--instances", "2"]);

        Assert.Equal(2, options.Instances);
        Assert.Equal(CircuitDatabase.Postgres, options.Database);
    }

    [Fact]
    public void Parse_WhenOneInstanceOverPostgresIsAsked_KeepsOneInstance()
    {
        var options = CircuitLoadOptions.Parse(["circuits", "--instances", "1", "--provider", "postgres"]);

        Assert.Equal(1, options.Instances);
        Assert.Equal(CircuitDatabase.Postgres, options.Database);
    }

    [Fact]
    public void Parse_WhenTwoInstancesOverSqliteAreAsked_RefusesBecauseOneFileServesOneProcess()
    {
        var refusal = Assert.Throws<BenchmarkUsageException>(() => CircuitLoadOptions.Parse(["circuits", "--instances", "2", "--provider", "sqlite"]));

        Assert.Contains("--provider postgres", refusal.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Parse_WhenUrlsListsTwoConsoles_LoadsBothByTheirAddresses()
    {
        var options = CircuitLoadOptions.Parse(["circuits", "--urls", "http://127.0.0.1:5000/, http://127.0.0.1:5001/queue"]);

        Assert.Equal(["http://127.0.0.1:5000", "http://127.0.0.1:5001"], options.Urls);
    }

    [Theory]
    [InlineData("--urls", "http://127.0.0.1:5000,http://127.0.0.1:5000")]
    [InlineData("--urls", "http://127.0.0.1:5000,127.0.0.1:5001")]
    [InlineData("--provider", "mysql")]
    [InlineData("--instances", "0")]
    public void Parse_WhenAnOptionIsInvalid_RefusesIt(string name, string value) =>
        Assert.Throws<BenchmarkUsageException>(() => CircuitLoadOptions.Parse(["circuits", name, value]));

    [Fact]
    public void Parse_WhenRunningConsolesAreGivenWithInstances_RefusesBecauseThoseConsolesAreNotStartedHere() =>
        Assert.Throws<BenchmarkUsageException>(() => CircuitLoadOptions.Parse(["circuits", "--urls", "http://127.0.0.1:5000", "--instances", "2"]));

    [Fact]
    public void InstanceOf_SpreadsCircuitsOverTheInstancesInTurn()
    {
        var instances = Enumerable.Range(0, 5).Select(circuit => CircuitLoadOptions.InstanceOf(circuit, 2));

        Assert.Equal([0, 1, 0, 1, 0], instances);
    }
}
