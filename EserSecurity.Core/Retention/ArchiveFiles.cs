using System.IO.Compression;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using System.Text.Json.Serialization;
using System.Text.Json.Serialization.Metadata;
using EserSecurity.Core.Audit;

namespace EserSecurity.Core.Retention;

/// <summary>One line of an archive file: the record and what finds it again (kind, id, people, school system, time).</summary>
internal sealed record ArchiveLine(string Kind, string Id, IReadOnlyList<int> PersonIds, int? SchoolSystemId, DateTimeOffset At, object Record);

/// <summary>A line as read back: the envelope, with the record left as JSON.</summary>
internal sealed record ArchiveLineRead(string Kind, string Id, IReadOnlyList<int> PersonIds, int? SchoolSystemId, DateTimeOffset At, JsonElement Record);

/// <summary>The archived stretch of the audit chain in one batch, and the hashes that link it to its neighbours.</summary>
internal sealed record ArchiveAuditRange(long FirstSequence, string FirstPreviousHash, long LastSequence, string LastHash, bool LastKeyed);

/// <summary>What a batch's manifest states; its keyed hash is taken over exactly these bytes as written.</summary>
internal sealed record ArchiveManifestContent(
    int Batch, string File, DateTimeOffset CreatedAt, DateTimeOffset Cutoff, string LastDueSchoolYear,
    SortedDictionary<string, int> Counts, string FileSha256, ArchiveAuditRange? Audit, string PreviousManifestKeyedHash);

/// <summary>The archive's files: names, the JSON Lines format, the manifest and its keyed hash.</summary>
internal static class ArchiveFiles
{
    public const string Prefix = "archive-";
    public const string DataSuffix = ".jsonl.gz";
    public const string ManifestSuffix = ".manifest.json";

    /// <summary>Each batch's file carries a random part, so a run that loses the race for a batch number never overwrites the winner's file.</summary>
    public static string DataName(int number) => $"{Prefix}{number:D6}-{Guid.NewGuid():N}"[..(Prefix.Length + 6 + 1 + 12)] + DataSuffix;

    public static string ManifestName(string dataName) => dataName[..^DataSuffix.Length] + ManifestSuffix;

    /// <summary>The batch number in a file name of the archive, or null for any other file.</summary>
    public static int? NumberOf(string fileName) =>
        fileName.StartsWith(Prefix, StringComparison.Ordinal) && fileName.Length > Prefix.Length + 6
        && int.TryParse(fileName.AsSpan(Prefix.Length, 6), System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out var n)
            ? n : null;

    /// <summary>camelCase, enums by name, and of an entity only its columns (navigations and computed properties left out).</summary>
    public static readonly JsonSerializerOptions Json = CreateOptions();

    private static JsonSerializerOptions CreateOptions()
    {
        var options = new JsonSerializerOptions(JsonSerializerDefaults.Web)
        {
            TypeInfoResolver = new DefaultJsonTypeInfoResolver { Modifiers = { ColumnsOnly } },
        };
        options.Converters.Add(new JsonStringEnumConverter());
        return options;
    }

    private static void ColumnsOnly(JsonTypeInfo info)
    {
        if (info.Kind != JsonTypeInfoKind.Object || info.Type.Namespace?.StartsWith("EserSecurity.Core.Retention", StringComparison.Ordinal) == true)
        {
            return;
        }
        for (var i = info.Properties.Count - 1; i >= 0; i--)
        {
            var property = info.Properties[i];
            if (property.Set is null || !IsColumn(property.PropertyType))
            {
                info.Properties.RemoveAt(i);
            }
        }
    }

    private static bool IsColumn(Type type)
    {
        type = Nullable.GetUnderlyingType(type) ?? type;
        return type.IsPrimitive || type.IsEnum || type == typeof(string) || type == typeof(decimal) || type == typeof(DateTimeOffset)
            || type == typeof(DateTime) || type == typeof(DateOnly) || type == typeof(TimeOnly) || type == typeof(Guid) || type == typeof(TimeSpan);
    }

    /// <summary>Writes the lines to a compressed JSON Lines file, flushed to disk; returns its SHA-256 (hex) and size.</summary>
    public static async Task<(string Sha256, long Bytes)> WriteDataAsync(string path, IEnumerable<ArchiveLine> lines, CancellationToken ct)
    {
        await using (var file = new FileStream(path, FileMode.CreateNew, FileAccess.Write, FileShare.None, 1 << 16, FileOptions.Asynchronous))
        {
            await using (var gzip = new GZipStream(file, CompressionLevel.Optimal, leaveOpen: true))
            {
                var newline = "\n"u8.ToArray();
                foreach (var line in lines)
                {
                    await JsonSerializer.SerializeAsync(gzip, line, Json, ct);
                    await gzip.WriteAsync(newline, ct);
                }
            }
            await file.FlushAsync(ct);
            file.Flush(flushToDisk: true);
        }
        return (await Sha256Async(path, ct), new FileInfo(path).Length);
    }

    public static async Task<string> Sha256Async(string path, CancellationToken ct)
    {
        await using var file = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read, 1 << 16, FileOptions.Asynchronous | FileOptions.SequentialScan);
        return Convert.ToHexStringLower(await SHA256.HashDataAsync(file, ct));
    }

    /// <summary>Reads a file's lines back, one at a time.</summary>
    public static async IAsyncEnumerable<ArchiveLineRead> ReadDataAsync(string path, [System.Runtime.CompilerServices.EnumeratorCancellation] CancellationToken ct)
    {
        await using var file = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read, 1 << 16, FileOptions.Asynchronous | FileOptions.SequentialScan);
        await using var gzip = new GZipStream(file, CompressionMode.Decompress);
        using var reader = new StreamReader(gzip, Encoding.UTF8);
        while (await reader.ReadLineAsync(ct) is { } text)
        {
            if (text.Length > 0)
            {
                yield return JsonSerializer.Deserialize<ArchiveLineRead>(text, Json) ?? throw new InvalidDataException("An archive line is empty.");
            }
        }
    }

    /// <summary>The manifest's bytes: its content and the keyed hash over the content's exact JSON.</summary>
    public static (byte[] Bytes, string KeyedHash) Manifest(ArchiveManifestContent content, AuditChainKey key)
    {
        var contentJson = JsonSerializer.SerializeToUtf8Bytes(content, Json);
        var keyedHash = Convert.ToHexStringLower(key.Sign(contentJson));
        using var buffer = new MemoryStream();
        using (var writer = new Utf8JsonWriter(buffer))
        {
            writer.WriteStartObject();
            writer.WritePropertyName("content");
            writer.WriteRawValue(contentJson, skipInputValidation: true);
            writer.WriteString("keyedHash", keyedHash);
            writer.WriteEndObject();
        }
        return (buffer.ToArray(), keyedHash);
    }

    /// <summary>Reads a manifest and checks its keyed hash; the problem is null when the hash holds.</summary>
    public static (ArchiveManifestContent? Content, string? KeyedHash, string? Problem) ReadManifest(byte[] bytes, AuditChainKey key)
    {
        try
        {
            using var document = JsonDocument.Parse(bytes);
            var contentJson = Encoding.UTF8.GetBytes(document.RootElement.GetProperty("content").GetRawText());
            var stated = document.RootElement.GetProperty("keyedHash").GetString();
            var content = JsonSerializer.Deserialize<ArchiveManifestContent>(contentJson, Json);
            var computed = Convert.ToHexStringLower(key.Sign(contentJson));
            return content is null ? (null, stated, "it is empty")
                : stated != computed ? (content, stated, "its keyed hash does not match its content: it was altered, or written without the key")
                : (content, stated, null);
        }
        catch (Exception ex) when (ex is JsonException or KeyNotFoundException or InvalidOperationException)
        {
            return (null, null, "it cannot be read as a manifest");
        }
    }

    /// <summary>Writes bytes to a temporary name, flushes them to disk, then gives them their final name.</summary>
    public static async Task WriteAtomicallyAsync(string path, byte[] bytes, CancellationToken ct)
    {
        var temporary = path + ".tmp";
        await using (var file = new FileStream(temporary, FileMode.Create, FileAccess.Write, FileShare.None, 4096, FileOptions.Asynchronous))
        {
            await file.WriteAsync(bytes, ct);
            await file.FlushAsync(ct);
            file.Flush(flushToDisk: true);
        }
        File.Move(temporary, path, overwrite: false);
    }
}
