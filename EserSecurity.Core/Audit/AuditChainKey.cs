using System.Security.Cryptography;
using EserSecurity.Core.Data;
using Microsoft.EntityFrameworkCore.Infrastructure;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace EserSecurity.Core.Audit;

/// <summary>Where the key of the audit chain comes from (configuration section <c>Audit</c>).</summary>
public sealed class AuditOptions
{
    public const string SectionName = "Audit";

    /// <summary>The chain's key, base64, at least 32 bytes: from a secret store or the environment, never from a file in the repository.</summary>
    public string? ChainKey { get; set; }

    /// <summary>A file holding the key in base64, when it is not given directly (kept outside the database, readable by the console only).</summary>
    public string? ChainKeyFile { get; set; }

    /// <summary>Whether a missing <see cref="ChainKeyFile"/> is created with a new key: set by the console in Development only.</summary>
    public bool CreateKeyFile { get; set; }

    /// <summary>How often the console checks the whole chain by itself and exports its head to the log (1 hour to 7 days).</summary>
    public TimeSpan VerifyEvery { get; set; } = TimeSpan.FromDays(1);
}

/// <summary>
/// The secret that keys each link of the audit chain (HMAC-SHA-256). It is held outside the database, so someone who can
/// write the database but cannot read the key cannot write a chain that verifies.
/// </summary>
public sealed class AuditChainKey
{
    /// <summary>The shortest key accepted, in bytes.</summary>
    public const int MinimumBytes = 32;

    private readonly byte[] _key;

    public AuditChainKey(IOptions<AuditOptions> options)
    {
        ArgumentNullException.ThrowIfNull(options);
        _key = Load(options.Value);
    }

    /// <summary>What is wrong with where the options say the key is, or null when a key loads from there.</summary>
    public static string? Problem(AuditOptions options)
    {
        try
        {
            Load(options);
            return null;
        }
        catch (InvalidOperationException ex)
        {
            return ex.Message;
        }
    }

    /// <summary>HMAC-SHA-256 of <paramref name="content"/> under the key, written into <paramref name="hash"/> (32 bytes).</summary>
    internal void Sign(ReadOnlySpan<byte> content, Span<byte> hash) => HMACSHA256.HashData(_key, content, hash);

    /// <summary>HMAC-SHA-256 of <paramref name="content"/> under the key.</summary>
    internal byte[] Sign(ReadOnlySpan<byte> content) => HMACSHA256.HashData(_key, content);

    private static byte[] Load(AuditOptions options)
    {
        if (!string.IsNullOrWhiteSpace(options.ChainKey))
        {
            return Decode(options.ChainKey, "Audit:ChainKey");
        }
        if (string.IsNullOrWhiteSpace(options.ChainKeyFile))
        {
            throw new InvalidOperationException(
                "The audit chain has no key. Set Audit:ChainKey (base64, at least 32 bytes, for example from `openssl rand -base64 32`) from a secret store or the environment, or Audit:ChainKeyFile to a file that holds it.");
        }
        var path = Path.GetFullPath(options.ChainKeyFile);
        if (!File.Exists(path))
        {
            if (!options.CreateKeyFile)
            {
                throw new InvalidOperationException($"The audit chain key file {path} (Audit:ChainKeyFile) does not exist. Put the key there, or set Audit:ChainKey.");
            }
            Directory.CreateDirectory(Path.GetDirectoryName(path)!);
            File.WriteAllText(path, Convert.ToBase64String(RandomNumberGenerator.GetBytes(MinimumBytes)));
        }
        return Decode(File.ReadAllText(path).Trim(), $"the key file {path}");
    }

    private static byte[] Decode(string text, string where)
    {
        byte[] key;
        try
        {
            key = Convert.FromBase64String(text.Trim());
        }
        catch (FormatException)
        {
            throw new InvalidOperationException($"The audit chain key in {where} is not base64. Give {MinimumBytes} or more random bytes in base64.");
        }
        return key.Length >= MinimumBytes ? key
            : throw new InvalidOperationException($"The audit chain key in {where} has {key.Length} bytes; give at least {MinimumBytes}.");
    }
}

internal static class AuditChainKeys
{
    /// <summary>The chain key of the services that created this context: the audit log appends from inside any service's transaction.</summary>
    public static AuditChainKey ChainKey(this EserSecurityDbContext db) =>
        db.GetService<IDbContextOptions>().FindExtension<CoreOptionsExtension>()?.ApplicationServiceProvider?.GetService<AuditChainKey>()
        ?? throw new InvalidOperationException("The audit chain key is not registered with the services that created this database context.");
}
