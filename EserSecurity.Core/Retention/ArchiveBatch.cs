namespace EserSecurity.Core.Retention;

/// <summary>
/// One batch of records moved out of the live tables into the archive: its file, the file's digest, its manifest's keyed
/// hash and the archived stretch of the audit chain. The row commits in the same transaction that removes the records,
/// so a file without a row holds nothing that left the live tables.
/// </summary>
public class ArchiveBatch
{
    public const int FileNameMaxLength = 100;
    public const int HashLength = 64;

    /// <summary>The batch's number, 1 for the first; unique, so two runs can never both record the same batch.</summary>
    public int Number { get; set; }

    /// <summary>The compressed JSON Lines file in the archive folder; its manifest sits beside it (<see cref="ArchiveFiles.ManifestName"/>).</summary>
    public required string FileName { get; set; }

    public DateTimeOffset CreatedAt { get; set; }

    /// <summary>Records that ended before this instant were due: the start of the school year after the last one due.</summary>
    public DateTimeOffset Cutoff { get; set; }

    /// <summary>Every line of the file: records of every kind, audit events included.</summary>
    public int RecordCount { get; set; }

    public int AuditEventCount { get; set; }

    /// <summary>SHA-256 (hex) of the compressed file as written.</summary>
    public required string FileSha256 { get; set; }

    /// <summary>HMAC-SHA-256 under the audit chain key of the manifest's content.</summary>
    public required string ManifestKeyedHash { get; set; }

    /// <summary>The previous batch's <see cref="ManifestKeyedHash"/>; the genesis hash for the first batch.</summary>
    public required string PreviousManifestKeyedHash { get; set; }

    /// <summary>The first archived audit event of this batch; null when the batch holds none.</summary>
    public long? AuditFirstSequence { get; set; }

    public long? AuditLastSequence { get; set; }

    /// <summary>The hash of the batch's last audit event, which the first event left in the live chain links to.</summary>
    public string? AuditLastHash { get; set; }

    /// <summary>Whether the batch's last audit event is keyed: no unkeyed event may follow it in the live chain.</summary>
    public bool AuditLastKeyed { get; set; }
}
