using EserSecurity.Dashboard.Hosting;
using Microsoft.Extensions.Options;
using Microsoft.Extensions.Time.Testing;

namespace EserSecurity.Tests.Dashboard.Hosting;

public sealed class PreparedDownloadsTests
{
    private readonly FakeTimeProvider _clock = new(new DateTimeOffset(2026, 9, 1, 8, 0, 0, TimeSpan.Zero));

    private PreparedDownloads Downloads(int maxFiles = 20, int maxMegabytes = 256) =>
        new(Options.Create(new PreparedDownloadsOptions { MaxFiles = maxFiles, MaxMegabytes = maxMegabytes }), _clock);

    [Fact]
    public void Take_GivesTheFileOnce()
    {
        var downloads = Downloads();
        Assert.True(downloads.TryAdd(1, "one-pagers.zip", "application/zip", [1, 2, 3], out var token));

        Assert.Equal([1, 2, 3], downloads.Take(token, 1)!.Content);
        Assert.Null(downloads.Take(token, 1));
    }

    [Fact]
    public void Take_BySomeoneElse_GetsNothing_AndLeavesTheFileForItsPreparer()
    {
        var downloads = Downloads();
        downloads.TryAdd(1, "one-pagers.zip", "application/zip", [1], out var token);

        Assert.Null(downloads.Take(token, 2));
        Assert.NotNull(downloads.Take(token, 1));
    }

    [Fact]
    public void TryAdd_PastTheCountLimit_IsRefused_UntilAFileIsTaken()
    {
        var downloads = Downloads(maxFiles: 2);
        downloads.TryAdd(1, "one-pagers.zip", "application/zip", [1], out var first);
        downloads.TryAdd(2, "one-pagers.zip", "application/zip", [2], out _);

        Assert.False(downloads.TryAdd(3, "one-pagers.zip", "application/zip", [3], out _));

        downloads.Take(first, 1);
        Assert.True(downloads.TryAdd(3, "one-pagers.zip", "application/zip", [3], out var third));
        Assert.Equal([3], downloads.Take(third, 3)!.Content);
    }

    [Fact]
    public void TryAdd_PastTheSizeLimit_IsRefused()
    {
        var downloads = Downloads(maxMegabytes: 1);
        var sixHundredKilobytes = new byte[600 * 1024];
        Assert.True(downloads.TryAdd(1, "one-pagers.zip", "application/zip", sixHundredKilobytes, out _));

        Assert.False(downloads.TryAdd(2, "one-pagers.zip", "application/zip", sixHundredKilobytes, out _));
        Assert.False(downloads.TryAdd(2, "one-pagers.zip", "application/zip", new byte[2 * 1024 * 1024], out _));
    }

    [Fact]
    public void ExpiredFiles_AreGone_AndMakeRoom()
    {
        var downloads = Downloads(maxFiles: 1);
        downloads.TryAdd(1, "one-pagers.zip", "application/zip", [1], out var token);
        Assert.False(downloads.TryAdd(2, "one-pagers.zip", "application/zip", [2], out _));

        _clock.Advance(TimeSpan.FromMinutes(10));

        Assert.Null(downloads.Take(token, 1));
        Assert.True(downloads.TryAdd(2, "one-pagers.zip", "application/zip", [2], out _));
    }

    [Fact]
    public void APersonsNewFile_ReplacesTheirEarlierOneOfTheSameName()
    {
        var downloads = Downloads(maxFiles: 1);
        downloads.TryAdd(1, "one-pagers.zip", "application/zip", [1], out var earlier);

        Assert.True(downloads.TryAdd(1, "one-pagers.zip", "application/zip", [2], out var later));

        Assert.Null(downloads.Take(earlier, 1));
        Assert.Equal([2], downloads.Take(later, 1)!.Content);
    }
}
