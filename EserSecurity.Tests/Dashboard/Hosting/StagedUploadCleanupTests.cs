using EserSecurity.Dashboard.Components.Shared.Imports;
using EserSecurity.Dashboard.Hosting;
using EserSecurity.Tests.Support;

namespace EserSecurity.Tests.Dashboard.Hosting;

/// <summary>Staged uploads that a crashed console left behind are deleted at the next start, and only those.</summary>
public sealed class StagedUploadCleanupTests : IDisposable
{
    private readonly string _folder = Path.Combine(Path.GetTempPath(), $"eser-uploads-cleanup-{Guid.NewGuid():N}");

    [Fact]
    public void DeleteStaged_DeletesUploadsOlderThanTheCutOff_AndKeepsNewerOnesAndOtherFiles()
    {
        Directory.CreateDirectory(_folder);
        var now = DateTimeOffset.UtcNow;
        var old = Stage(_folder, now.AddDays(-2));
        var fresh = Stage(_folder, now.AddMinutes(-5));
        var other = Path.Combine(_folder, "notes.txt");
        File.WriteAllText(other, "not an upload");
        File.SetLastWriteTimeUtc(other, now.AddDays(-2).UtcDateTime);

        var deleted = UploadedFile.DeleteStaged(_folder, now - StagedUploadCleanup.SafeAge(TimeSpan.FromHours(10)));

        Assert.Equal(1, deleted);
        Assert.False(File.Exists(old));
        Assert.True(File.Exists(fresh));
        Assert.True(File.Exists(other));
    }

    [Fact]
    public void DeleteStaged_OfAFolderThatDoesNotExist_DeletesNothing() =>
        Assert.Equal(0, UploadedFile.DeleteStaged(_folder, DateTimeOffset.UtcNow));

    [Fact]
    public void SafeAge_IsTheLongestSession_AndAtLeastADay()
    {
        Assert.Equal(TimeSpan.FromDays(1), StagedUploadCleanup.SafeAge(TimeSpan.FromHours(10)));
        Assert.Equal(TimeSpan.FromHours(36), StagedUploadCleanup.SafeAge(TimeSpan.FromHours(36)));
    }

    [Fact]
    public async Task ConsoleStart_DeletesStagedUploadsACrashLeft_AndKeepsRecentOnes()
    {
        var now = DateTimeOffset.UtcNow;
        Directory.CreateDirectory(UploadedFile.DefaultFolder);
        var old = Stage(UploadedFile.DefaultFolder, now.AddDays(-3));
        var fresh = Stage(UploadedFile.DefaultFolder, now.AddMinutes(-1));
        try
        {
            await using var host = new ConsoleHost("Development");
            using var client = host.CreateHttpsClient();

            await client.GetAsync("/health/live");

            Assert.False(File.Exists(old));
            Assert.True(File.Exists(fresh));
        }
        finally
        {
            File.Delete(old);
            File.Delete(fresh);
        }
    }

    private static string Stage(string folder, DateTimeOffset lastWritten)
    {
        var path = Path.Combine(folder, $"{Guid.NewGuid():N}.upload");
        File.WriteAllText(path, "LEA Code,LEA Name");
        File.SetLastWriteTimeUtc(path, lastWritten.UtcDateTime);
        return path;
    }

    public void Dispose()
    {
        if (Directory.Exists(_folder))
        {
            Directory.Delete(_folder, recursive: true);
        }
    }
}
