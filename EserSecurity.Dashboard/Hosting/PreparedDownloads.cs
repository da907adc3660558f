using System.Security.Cryptography;
using Microsoft.Extensions.Caching.Memory;

namespace EserSecurity.Dashboard.Hosting;

/// <summary>
/// Files built in a circuit with visible progress (the ZIP of every one-pager), held briefly for their preparer to
/// download over HTTP. A token is random, single-person and expires after ten minutes.
/// </summary>
public sealed class PreparedDownloads(IMemoryCache cache)
{
    private static readonly TimeSpan Lifetime = TimeSpan.FromMinutes(10);

    public sealed record PreparedFile(int StaffMemberId, string FileName, string ContentType, byte[] Content);

    public string Add(int staffMemberId, string fileName, string contentType, byte[] content)
    {
        var token = Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(16));
        cache.Set(Key(token), new PreparedFile(staffMemberId, fileName, contentType, content), Lifetime);
        return token;
    }

    public PreparedFile? Take(string token, int staffMemberId) =>
        cache.TryGetValue(Key(token), out PreparedFile? file) && file!.StaffMemberId == staffMemberId ? file : null;

    private static string Key(string token) => "prepared-download:" + token;
}
