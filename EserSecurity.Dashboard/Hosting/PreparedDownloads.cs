using System.Security.Cryptography;
using Microsoft.Extensions.Options;

namespace EserSecurity.Dashboard.Hosting;

/// <summary>
/// Files built in a circuit with visible progress (the ZIP of every one-pager), held briefly in memory for their
/// preparer to download over HTTP. A token is random, single-person, single-use and expires after ten minutes. The
/// files held together stay within a count and a size (<see cref="PreparedDownloadsOptions"/>), so that preparing
/// files nobody fetches cannot fill the console's memory; a person's new file of the same name replaces their earlier one.
/// </summary>
public sealed class PreparedDownloads(IOptions<PreparedDownloadsOptions> options, TimeProvider clock)
{
    private static readonly TimeSpan Lifetime = TimeSpan.FromMinutes(10);

    public const string FullMessage = "The console is holding as many prepared files as it may. Try again in a few minutes.";

    private readonly Lock _lock = new();
    private readonly Dictionary<string, Entry> _files = new(StringComparer.Ordinal);

    public sealed record PreparedFile(int StaffMemberId, string FileName, string ContentType, byte[] Content);

    private sealed record Entry(PreparedFile File, DateTimeOffset ExpiresAt);

    /// <summary>
    /// Holds the file and gives its token; false (no token) when it would take the held files past the count or size
    /// limit, or is larger than the size limit by itself.
    /// </summary>
    public bool TryAdd(int staffMemberId, string fileName, string contentType, byte[] content, out string token)
    {
        var limits = options.Value;
        lock (_lock)
        {
            RemoveExpired();
            foreach (var replaced in _files.Where(f => f.Value.File.StaffMemberId == staffMemberId && f.Value.File.FileName == fileName).ToList())
            {
                _files.Remove(replaced.Key);
            }
            var heldBytes = _files.Values.Sum(e => (long)e.File.Content.Length);
            if (_files.Count + 1 > limits.MaxFiles || heldBytes + content.Length > limits.MaxMegabytes * 1024L * 1024L)
            {
                token = "";
                return false;
            }
            token = Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(16));
            _files[token] = new Entry(new PreparedFile(staffMemberId, fileName, contentType, content), clock.GetUtcNow() + Lifetime);
            return true;
        }
    }

    /// <summary>The file, once: taking it lets it go. Null when expired, already taken or someone else's (which stays held).</summary>
    public PreparedFile? Take(string token, int staffMemberId)
    {
        lock (_lock)
        {
            RemoveExpired();
            if (!_files.TryGetValue(token, out var entry) || entry.File.StaffMemberId != staffMemberId)
            {
                return null;
            }
            _files.Remove(token);
            return entry.File;
        }
    }

    private void RemoveExpired()
    {
        var now = clock.GetUtcNow();
        foreach (var expired in _files.Where(f => f.Value.ExpiresAt <= now).Select(f => f.Key).ToList())
        {
            _files.Remove(expired);
        }
    }
}

/// <summary>How much the prepared downloads may hold together (configuration section "PreparedDownloads").</summary>
public sealed class PreparedDownloadsOptions
{
    public const string SectionName = "PreparedDownloads";

    /// <summary>Files held at once, of everyone together.</summary>
    public int MaxFiles { get; set; } = 20;

    /// <summary>Their total size in megabytes.</summary>
    public int MaxMegabytes { get; set; } = 256;
}
