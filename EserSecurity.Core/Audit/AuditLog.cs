using System.Buffers;
using System.Globalization;
using System.Runtime.CompilerServices;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using EserSecurity.Core.Changes;
using EserSecurity.Core.Data;
using EserSecurity.Core.Security;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Infrastructure;
using Microsoft.EntityFrameworkCore.Metadata;
using Microsoft.EntityFrameworkCore.Storage;
using Microsoft.Extensions.Logging;

namespace EserSecurity.Core.Audit;

/// <summary>What a change records: the action, the record it touched and its state before and after.</summary>
public sealed record AuditEntry(
    string Action,
    string EntityType,
    string EntityId,
    int? SchoolSystemId,
    object? Before = null,
    object? After = null);

/// <summary>The result of checking the whole chain.</summary>
public sealed record AuditChainVerification(bool IsIntact, long EventsChecked, long? FirstBrokenSequence, string? Problem);

/// <summary>The append-only audit log, chained with a keyed hash. Services append inside their own transaction.</summary>
public sealed class AuditLog(
    IDbContextFactory<EserSecurityDbContext> dbFactory, ScopeService scopes, AuditChainKey key, IAccessChangeFeed changes, TimeProvider clock,
    ILogger<AuditLog> logger)
{
    /// <summary>The previous hash of the first event.</summary>
    public const string GenesisHash = "0000000000000000000000000000000000000000000000000000000000000000";

    /// <summary>The actor of a change the console makes by itself, with no person acting.</summary>
    public const string SystemActorName = "System";

    /// <summary>
    /// The actor of the startup bootstrap: the first state administrator, made from the configuration key
    /// <c>Bootstrap:StateAdministrator</c> on a database that has none.
    /// </summary>
    public const string BootstrapActorName = "System: startup bootstrap (Bootstrap:StateAdministrator)";

    /// <summary>
    /// The actor of a directory import run with no acting person, allowed only while the database has no active state
    /// administrator: how the school and staff directories are first loaded on an empty database.
    /// </summary>
    public const string FirstDirectoryImportActorName = "System: first directory import (no state administrator yet)";

    /// <summary>The actor of an end of employment the console applies on the day it was scheduled for.</summary>
    public const string ScheduledEmploymentEndActorName = "System: end of employment on its scheduled day";

    private static readonly JsonSerializerOptions JsonOptions = new() { WriteIndented = false };

    /// <summary>
    /// Appends events for a change. Call inside the change's transaction, after its SaveChanges, so that the
    /// change and its audit trail commit or roll back together.
    /// </summary>
    internal static Task AppendAsync(
        EserSecurityDbContext db, Caller? actor, DateTimeOffset at, IEnumerable<AuditEntry> entries, CancellationToken ct) =>
        AppendAsync(db, actor?.StaffMemberId, actor?.DisplayName ?? SystemActorName, at, entries, ct);

    internal static Task AppendAsync(EserSecurityDbContext db, Caller? actor, DateTimeOffset at, AuditEntry entry, CancellationToken ct) =>
        AppendAsync(db, actor, at, [entry], ct);

    /// <summary>
    /// Appends the event of a change the console makes by itself, with no person acting (for example
    /// <see cref="BootstrapActorName"/>), inside the change's transaction.
    /// </summary>
    internal static Task AppendAsSystemAsync(EserSecurityDbContext db, string actorName, DateTimeOffset at, AuditEntry entry, CancellationToken ct) =>
        AppendAsSystemAsync(db, actorName, at, [entry], ct);

    internal static Task AppendAsSystemAsync(
        EserSecurityDbContext db, string actorName, DateTimeOffset at, IEnumerable<AuditEntry> entries, CancellationToken ct) =>
        AppendAsync(db, null, actorName, at, entries, ct);

    private static async Task AppendAsync(
        EserSecurityDbContext db, int? actorId, string actorName, DateTimeOffset at, IEnumerable<AuditEntry> entries, CancellationToken ct)
    {
        if (db.Database.CurrentTransaction is null)
        {
            throw new InvalidOperationException("Audit events must be written inside the change's transaction.");
        }

        var key = db.ChainKey();
        foreach (var entry in entries)
        {
            // Taking the write on the head row first serialises concurrent writers on every provider.
            await db.AuditChainHeads.Where(h => h.Id == AuditChainHead.SingletonId)
                .ExecuteUpdateAsync(s => s.SetProperty(h => h.LastSequence, h => h.LastSequence + 1), ct);
            var head = await db.AuditChainHeads.AsNoTracking().SingleAsync(h => h.Id == AuditChainHead.SingletonId, ct);

            var audit = new AuditEvent
            {
                Sequence = head.LastSequence,
                At = AsStored(at),
                ActorId = actorId,
                ActorName = actorName,
                Action = entry.Action,
                EntityType = entry.EntityType,
                EntityId = entry.EntityId,
                SchoolSystemId = entry.SchoolSystemId,
                Before = entry.Before is null ? null : JsonSerializer.Serialize(entry.Before, JsonOptions),
                After = entry.After is null ? null : JsonSerializer.Serialize(entry.After, JsonOptions),
                PreviousHash = head.LastHash,
                Hash = "",
                Keyed = true,
            };
            audit.Hash = ComputeHash(audit, key);
            db.AuditEvents.Add(audit);
            await db.SaveChangesAsync(ct);
            await db.AuditChainHeads.Where(h => h.Id == AuditChainHead.SingletonId)
                .ExecuteUpdateAsync(s => s.SetProperty(h => h.LastHash, audit.Hash), ct);
        }
    }

    /// <summary>
    /// The time as the database gives it back: times are stored in EF's binary form, which keeps 1,000 ticks (0.1 ms).
    /// Hashing a finer time than is stored would make every event read back as altered.
    /// </summary>
    private static DateTimeOffset AsStored(DateTimeOffset at) => new(at.Ticks - at.Ticks % StoredTickPrecision, at.Offset);

    private const long StoredTickPrecision = 1_000;

    /// <summary>
    /// The event's link: HMAC-SHA-256 under the chain key over the previous hash and every field of the event, in a
    /// fixed order; a plain SHA-256 of the same for an event written before the chain was keyed.
    /// </summary>
    internal static string ComputeHash(AuditEvent e, AuditChainKey key)
    {
        Span<byte> hash = stackalloc byte[HashBytes];
        WriteHash(e, key, hash);
        return Convert.ToHexStringLower(hash);
    }

    /// <summary>
    /// Whether the event's stored hash is the one <see cref="ComputeHash"/> gives it, compared as text without building
    /// a string: the verification checks every event of the chain this way.
    /// </summary>
    internal static bool HashHolds(AuditEvent e, AuditChainKey key)
    {
        Span<byte> hash = stackalloc byte[HashBytes];
        WriteHash(e, key, hash);
        Span<char> text = stackalloc char[HashBytes * 2];
        return Convert.TryToHexStringLower(hash, text, out _) && text.SequenceEqual(e.Hash);
    }

    private const int HashBytes = 32;

    private const byte FieldSeparator = 0x1f;

    /// <summary>
    /// Hashes the event's content: the UTF-8 bytes of its fields in a fixed order, each number in invariant digits and an
    /// absent value empty, joined by the unit separator U+001F. The fields are encoded one after another into one pooled
    /// buffer, which gives the same bytes as encoding the joined text, without the text.
    /// </summary>
    private static void WriteHash(AuditEvent e, AuditChainKey key, Span<byte> hash)
    {
        var utf8 = Encoding.UTF8;
        var longest = utf8.GetMaxByteCount(e.PreviousHash.Length + e.ActorName.Length + e.Action.Length + e.EntityType.Length
            + e.EntityId.Length + (e.Before?.Length ?? 0) + (e.After?.Length ?? 0)) + 4 * 20 + 10;
        var rented = ArrayPool<byte>.Shared.Rent(longest);
        try
        {
            var content = rented.AsSpan();
            var at = 0;
            at += utf8.GetBytes(e.PreviousHash, content[at..]);
            content[at++] = FieldSeparator;
            at += Digits(e.Sequence, content[at..]);
            content[at++] = FieldSeparator;
            at += Digits(e.At.UtcTicks, content[at..]);
            content[at++] = FieldSeparator;
            at += e.ActorId is { } actorId ? Digits(actorId, content[at..]) : 0;
            content[at++] = FieldSeparator;
            at += utf8.GetBytes(e.ActorName, content[at..]);
            content[at++] = FieldSeparator;
            at += utf8.GetBytes(e.Action, content[at..]);
            content[at++] = FieldSeparator;
            at += utf8.GetBytes(e.EntityType, content[at..]);
            content[at++] = FieldSeparator;
            at += utf8.GetBytes(e.EntityId, content[at..]);
            content[at++] = FieldSeparator;
            at += e.SchoolSystemId is { } schoolSystemId ? Digits(schoolSystemId, content[at..]) : 0;
            content[at++] = FieldSeparator;
            at += utf8.GetBytes(e.Before ?? "", content[at..]);
            content[at++] = FieldSeparator;
            at += utf8.GetBytes(e.After ?? "", content[at..]);
            if (e.Keyed)
            {
                key.Sign(content[..at], hash);
            }
            else
            {
                SHA256.HashData(content[..at], hash);
            }
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(rented);
        }
    }

    private static int Digits(long value, Span<byte> destination) =>
        value.TryFormat(destination, out var written, default, CultureInfo.InvariantCulture)
            ? written
            : throw new InvalidOperationException("An audit event's number does not fit its hash buffer.");

    /// <summary>Walks the chain from the first event and reports the first link that does not hold; the result is recorded.</summary>
    public async Task<AuditChainVerification> VerifyAsync(Caller caller, CancellationToken ct = default)
    {
        var scope = await scopes.GetScopeAsync(caller, ct);
        scope.DemandStateAdministrator("verify the audit log");
        return await VerifyAndRecordAsync(caller.StaffMemberId, ct);
    }

    /// <summary>
    /// Verifies the chain, records the result with the head it reached, and writes the head to the log (event 7201: the
    /// time, the event number and its keyed hash), the proof a later check can hold the chain to. A broken chain is
    /// logged as an error naming the first broken link. <paramref name="requestedById"/> is null for the daily check.
    /// </summary>
    internal async Task<AuditChainVerification> VerifyAndRecordAsync(int? requestedById, CancellationToken ct = default)
    {
        var (result, headSequence, headHash) = await VerifySnapshotAsync(ct);
        var now = clock.GetUtcNow();
        await using (var db = await dbFactory.CreateDbContextAsync(ct))
        {
            db.AuditVerifications.Add(new AuditVerification
            {
                At = now, RequestedById = requestedById, IsIntact = result.IsIntact, EventsChecked = result.EventsChecked,
                FirstBrokenSequence = result.FirstBrokenSequence, HeadSequence = headSequence, HeadHash = headHash,
                Problem = result.Problem is { Length: > AuditVerification.ProblemMaxLength } text ? text[..AuditVerification.ProblemMaxLength] : result.Problem,
            });
            await db.SaveChangesAsync(ct);
        }
        AuditHeadLog.Head(logger, now, headSequence, headHash, result.IsIntact);
        if (!result.IsIntact)
        {
            AuditHeadLog.Broken(logger, result.FirstBrokenSequence, result.Problem);
        }
        changes.Publish(new AccessChange(AccessChangeKind.AuditVerified, null, null, null, requestedById, now));
        return result;
    }

    /// <summary>Whether no scheduled check (one nobody asked for) was recorded within <paramref name="since"/> of now.</summary>
    internal async Task<bool> ScheduledVerificationDueAsync(TimeSpan since, CancellationToken ct)
    {
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var last = await db.AuditVerifications.AsNoTracking().Where(v => v.RequestedById == null)
            .OrderByDescending(v => v.Id).Select(v => (DateTimeOffset?)v.At).FirstOrDefaultAsync(ct);
        return last is null || clock.GetUtcNow() - last >= since;
    }

    /// <summary>Whether a change can alter the banner of a broken chain: a check recorded.</summary>
    public static bool ConcernsChainBanner(AccessChange change) => change.Kind == AccessChangeKind.AuditVerified;

    /// <summary>The latest recorded check when it found the chain broken, for the banner state administrators see; null otherwise.</summary>
    public async Task<AuditVerification?> GetBrokenChainAsync(Caller caller, CancellationToken ct = default)
    {
        var scope = await scopes.GetReadScopeAsync(caller, ct);
        if (!scope.IsStateAdministrator)
        {
            return null;
        }
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var latest = await db.AuditVerifications.AsNoTracking().OrderByDescending(v => v.Id).FirstOrDefaultAsync(ct);
        return latest is { IsIntact: false } ? latest : null;
    }

    /// <summary>
    /// Walks the chain inside one read transaction, so the events and the head are read as of one moment and a write
    /// committed meanwhile never looks like a broken chain. The read takes no write lock: writers go on meanwhile.
    /// </summary>
    internal async Task<(AuditChainVerification Result, long HeadSequence, string HeadHash)> VerifySnapshotAsync(CancellationToken ct = default)
    {
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        await using var transaction = await BeginReadAsync(db, ct);
        var head = await db.AuditChainHeads.AsNoTracking().SingleAsync(h => h.Id == AuditChainHead.SingletonId, ct);
        // The live chain starts after the last event moved to the archive (Retention.RetentionArchive), linked to its hash.
        var archived = await db.ArchiveBatches.AsNoTracking().Where(b => b.AuditLastSequence != null)
            .OrderByDescending(b => b.AuditLastSequence).Select(b => new { b.AuditLastSequence, b.AuditLastHash, b.AuditLastKeyed })
            .FirstOrDefaultAsync(ct);
        var expectedPrevious = archived?.AuditLastHash ?? GenesisHash;
        var expectedSequence = (archived?.AuditLastSequence ?? 0) + 1;
        var keyedSeen = archived?.AuditLastKeyed ?? false;
        await foreach (var e in ReadChainAsync(db, expectedSequence, ct))
        {
            if (e.Sequence != expectedSequence)
            {
                return (new(false, expectedSequence - 1, expectedSequence, $"Event {expectedSequence} is missing."), head.LastSequence, head.LastHash);
            }
            if (e.PreviousHash != expectedPrevious)
            {
                return (new(false, expectedSequence - 1, e.Sequence, $"Event {e.Sequence} does not link to event {e.Sequence - 1}."), head.LastSequence, head.LastHash);
            }
            if (keyedSeen && !e.Keyed)
            {
                return (new(false, expectedSequence - 1, e.Sequence, $"Event {e.Sequence} is not keyed, but events before it are: it was written without the key."),
                    head.LastSequence, head.LastHash);
            }
            if (!HashHolds(e, key))
            {
                return (new(false, expectedSequence - 1, e.Sequence, $"Event {e.Sequence} was altered after it was written, or written without the key."),
                    head.LastSequence, head.LastHash);
            }
            keyedSeen |= e.Keyed;
            expectedPrevious = e.Hash;
            expectedSequence++;
        }
        await transaction.CommitAsync(ct);

        if (head.LastSequence != expectedSequence - 1 || head.LastHash != expectedPrevious)
        {
            return (new(false, expectedSequence - 1, expectedSequence,
                $"The chain ends at event {expectedSequence - 1}, but {head.LastSequence} were written: the latest events were removed."), head.LastSequence, head.LastHash);
        }
        return (new(true, expectedSequence - 1, null, null), head.LastSequence, head.LastHash);
    }

    /// <summary>
    /// The chain's events from <paramref name="fromSequence"/> on, in order, read inside the context's current transaction
    /// straight from the data reader: the columns and the time's stored form are EF's own mapping (the time through its
    /// converter, where the provider has one), but without EF's materialisation, which costs more than checking an event.
    /// </summary>
    private static async IAsyncEnumerable<AuditEvent> ReadChainAsync(
        EserSecurityDbContext db, long fromSequence, [EnumeratorCancellation] CancellationToken ct)
    {
        var entity = db.Model.FindEntityType(typeof(AuditEvent)) ?? throw new InvalidOperationException("AuditEvent is not part of the model.");
        var table = StoreObjectIdentifier.Table(entity.GetTableName()!, entity.GetSchema());
        var sql = db.GetService<ISqlGenerationHelper>();
        string[] properties =
        [
            nameof(AuditEvent.Sequence), nameof(AuditEvent.At), nameof(AuditEvent.ActorId), nameof(AuditEvent.ActorName), nameof(AuditEvent.Action),
            nameof(AuditEvent.EntityType), nameof(AuditEvent.EntityId), nameof(AuditEvent.SchoolSystemId), nameof(AuditEvent.Before),
            nameof(AuditEvent.After), nameof(AuditEvent.PreviousHash), nameof(AuditEvent.Hash), nameof(AuditEvent.Keyed),
        ];
        var columns = properties.Select(p => sql.DelimitIdentifier(entity.FindProperty(p)!.GetColumnName(table)!)).ToList();
        var atConverter = entity.FindProperty(nameof(AuditEvent.At))!.GetTypeMapping().Converter;

        await using var command = db.Database.GetDbConnection().CreateCommand();
        command.Transaction = db.Database.CurrentTransaction?.GetDbTransaction();
        command.CommandTimeout = db.Database.GetCommandTimeout() ?? command.CommandTimeout;
        var from = command.CreateParameter();
        from.ParameterName = sql.GenerateParameterName("from");
        from.Value = fromSequence;
        command.Parameters.Add(from);
        command.CommandText = $"SELECT {string.Join(", ", columns)} FROM {sql.DelimitIdentifier(table.Name, table.Schema)} " +
            $"WHERE {columns[0]} >= {sql.GenerateParameterNamePlaceholder("from")} ORDER BY {columns[0]}";
        await using var reader = await command.ExecuteReaderAsync(ct);
        while (await reader.ReadAsync(ct))
        {
            yield return new AuditEvent
            {
                Sequence = reader.GetInt64(0),
                At = atConverter is null ? reader.GetFieldValue<DateTimeOffset>(1) : (DateTimeOffset)atConverter.ConvertFromProvider(reader.GetValue(1))!,
                ActorId = reader.IsDBNull(2) ? null : reader.GetInt32(2),
                ActorName = reader.GetString(3),
                Action = reader.GetString(4),
                EntityType = reader.GetString(5),
                EntityId = reader.GetString(6),
                SchoolSystemId = reader.IsDBNull(7) ? null : reader.GetInt32(7),
                Before = reader.IsDBNull(8) ? null : reader.GetString(8),
                After = reader.IsDBNull(9) ? null : reader.GetString(9),
                PreviousHash = reader.GetString(10),
                Hash = reader.GetString(11),
                Keyed = reader.GetBoolean(12),
            };
        }
    }

    internal async Task<AuditChainVerification> VerifyChainAsync(CancellationToken ct = default) => (await VerifySnapshotAsync(ct)).Result;

    /// <summary>A transaction that only reads: deferred on SQLite (a snapshot from its first read, no lock on writers), repeatable read elsewhere.</summary>
    private static async Task<Microsoft.EntityFrameworkCore.Storage.IDbContextTransaction> BeginReadAsync(EserSecurityDbContext db, CancellationToken ct)
    {
        if (db.Database.IsSqlite())
        {
            await db.Database.OpenConnectionAsync(ct);
            var connection = (Microsoft.Data.Sqlite.SqliteConnection)db.Database.GetDbConnection();
            return await db.Database.UseTransactionAsync(connection.BeginTransaction(deferred: true), ct)
                ?? throw new InvalidOperationException("The read transaction could not be used.");
        }
        return await db.Database.BeginTransactionAsync(System.Data.IsolationLevel.RepeatableRead, ct);
    }
}

/// <summary>The audit chain's log lines: the head each check reached (its export), and a broken chain.</summary>
internal static partial class AuditHeadLog
{
    [LoggerMessage(EventId = 7201, Level = LogLevel.Information,
        Message = "Audit chain head at {At:O}: event {Sequence}, keyed hash {Hash}; chain intact: {Intact}")]
    public static partial void Head(ILogger logger, DateTimeOffset at, long sequence, string hash, bool intact);

    [LoggerMessage(EventId = 7202, Level = LogLevel.Error,
        Message = "The audit chain is broken at event {Sequence}: {Problem} Compare the database with its backups and the exported heads (event 7201).")]
    public static partial void Broken(ILogger logger, long? sequence, string? problem);
}

/// <summary>Checks the whole chain every <see cref="AuditOptions.VerifyEvery"/> (daily by default) and records the result.</summary>
public sealed class AuditVerificationCheck(AuditLog log, TimeProvider clock, Scheduling.JobLeases leases, Microsoft.Extensions.Options.IOptions<AuditOptions> options, ILogger<AuditVerificationCheck> logger)
    : Scheduling.PeriodicCheck(clock, leases, logger)
{
    protected override TimeSpan Interval => options.Value.VerifyEvery;

    protected override string Doing => "Verifying the audit chain";

    protected override async Task RunOnceAsync(CancellationToken ct) => await log.VerifyAndRecordAsync(null, ct);

    // Every pass records a check, so several instances, or a restart, would record several a day: a pass is due once the
    // last scheduled check is at least half an interval old. The instances' schedules settle on about one check per interval.
    protected override async Task<bool> IsDueAsync(CancellationToken ct) => await log.ScheduledVerificationDueAsync(Interval / 2, ct);
}
