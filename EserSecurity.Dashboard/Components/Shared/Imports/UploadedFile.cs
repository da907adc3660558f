namespace EserSecurity.Dashboard.Components.Shared.Imports;

/// <summary>
/// A file uploaded to this circuit, staged in a temporary file that only the console's account can read: a file of
/// up to 64 MB per open import page would otherwise sit in the circuit's memory between the preview and the commit,
/// which each read it again. Disposing deletes it; the upload step does so when another file is chosen and when the
/// page goes away, and a failed upload leaves nothing behind.
/// </summary>
public sealed class UploadedFile : IDisposable
{
    private const int BufferSize = 81920;

    private UploadedFile(string name, string path, long length) => (Name, StagedPath, Length) = (name, path, length);

    public string Name { get; }

    public long Length { get; }

    /// <summary>Where the bytes are staged.</summary>
    public string StagedPath { get; }

    /// <summary>The folder uploads are staged in, under the system's temporary folder.</summary>
    public static string DefaultFolder => Path.Combine(Path.GetTempPath(), "eser-security-uploads");

    /// <summary>
    /// Copies the upload into a new temporary file, telling <paramref name="copied"/> how many bytes are in so far.
    /// Failed or cancelled, it deletes what it had written and rethrows.
    /// </summary>
    public static async Task<UploadedFile> StageAsync(string name, Stream source, Action<long>? copied, CancellationToken ct, string? folder = null)
    {
        folder ??= DefaultFolder;
        if (OperatingSystem.IsWindows())
        {
            Directory.CreateDirectory(folder);
        }
        else
        {
            Directory.CreateDirectory(folder, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
        }
        var path = Path.Combine(folder, $"{Guid.NewGuid():N}.upload");
        var options = new FileStreamOptions
        {
            Mode = FileMode.CreateNew, Access = FileAccess.Write, Share = FileShare.None, BufferSize = BufferSize,
        };
        if (!OperatingSystem.IsWindows())
        {
            options.UnixCreateMode = UnixFileMode.UserRead | UnixFileMode.UserWrite;
        }
        try
        {
            long length = 0;
            // Writes are synchronous: a chunk goes to the page cache at once, and the upload step's continuations stay
            // on the circuit's thread, where a caller that waits for the upload (as bUnit's does) cannot deadlock them.
            using (var target = new FileStream(path, options))
            {
                var buffer = new byte[BufferSize];
                int read;
                while ((read = await source.ReadAsync(buffer, ct)) > 0)
                {
                    target.Write(buffer, 0, read);
                    length += read;
                    copied?.Invoke(length);
                }
            }
            return new UploadedFile(name, path, length);
        }
        catch
        {
            File.Delete(path);
            throw;
        }
    }

    /// <summary>
    /// Deletes the staged uploads in <paramref name="folder"/> last written before <paramref name="before"/>: what a
    /// process that ended without disposing them (a crash, a kill) left behind. Returns how many it deleted; a file it
    /// cannot delete is left for the next start.
    /// </summary>
    public static int DeleteStaged(string folder, DateTimeOffset before)
    {
        if (!Directory.Exists(folder))
        {
            return 0;
        }
        var deleted = 0;
        foreach (var path in Directory.EnumerateFiles(folder, "*.upload"))
        {
            try
            {
                if (File.GetLastWriteTimeUtc(path) < before.UtcDateTime)
                {
                    File.Delete(path);
                    deleted++;
                }
            }
            catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
            {
                // Held open or not ours: the next start tries again.
            }
        }
        return deleted;
    }

    /// <summary>A new read of the staged bytes; the reader disposes it.</summary>
    public Stream OpenRead() =>
        new FileStream(StagedPath, FileMode.Open, FileAccess.Read, FileShare.Read | FileShare.Delete, BufferSize, FileOptions.Asynchronous | FileOptions.SequentialScan);

    public void Dispose() => File.Delete(StagedPath);
}
