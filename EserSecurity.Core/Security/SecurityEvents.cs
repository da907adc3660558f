using System.Globalization;
using System.Threading.Channels;
using EserSecurity.Core.Audit;
using EserSecurity.Core.Data;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Logging;

namespace EserSecurity.Core.Security;

/// <summary>
/// The events a security office watches: sign-in, sign-out, a sign-in that links to no staff record, every refusal for
/// scope and every hand-out of a list of people or another person's document. Each is a structured log event with a
/// fixed id (<see cref="SecurityEventIds"/>, category <c>EserSecurity.Security</c>), so a log pipeline can alert on it;
/// refusals and personal-data downloads are also kept in the audit log (<see cref="AuditAction"/>), where state
/// administrators filter to them.
/// </summary>
/// <remarks>
/// A refusal is raised where a rule says no, often in synchronous code, so it is logged at once and queued for the audit
/// log; <see cref="SecurityEventWriter"/> writes the queue in the background. A download is written to the audit log
/// before the file is handed out.
/// </remarks>
public sealed partial class SecurityEvents
{
    /// <summary>The logger category of every security event.</summary>
    public const string LogCategory = "EserSecurity.Security";

    /// <summary>How many refusals may wait for the audit log; past it a refusal is still logged, and the loss is logged too.</summary>
    public const int QueueCapacity = 10_000;

    /// <summary>
    /// An identical refusal (same person, school system and message) within this long of one already audited is logged
    /// but not audited again: a page asks Core once when it is prerendered and again when it turns interactive, and a
    /// burst of the same refused request would otherwise bury the audit log. Every one of them is in the security log.
    /// </summary>
    public static readonly TimeSpan RepeatWindow = TimeSpan.FromSeconds(10);

    private const int WriteBatch = 200;

    private readonly IDbContextFactory<EserSecurityDbContext> _dbFactory;
    private readonly TimeProvider _clock;
    private readonly ILogger _logger;
    private readonly Dictionary<(int? StaffMemberId, int? SchoolSystemId, string Message), DateTimeOffset> _lastAudited = [];
    private readonly Channel<QueuedRefusal> _refusals = Channel.CreateBounded<QueuedRefusal>(
        new BoundedChannelOptions(QueueCapacity) { FullMode = BoundedChannelFullMode.DropWrite, SingleReader = false, SingleWriter = false });

    public SecurityEvents(IDbContextFactory<EserSecurityDbContext> dbFactory, TimeProvider clock, ILoggerFactory loggers)
    {
        _dbFactory = dbFactory;
        _clock = clock;
        _logger = loggers.CreateLogger(LogCategory);
    }

    /// <summary>
    /// Records that <paramref name="staffMemberId"/> (null: an account linked to no staff record) was refused
    /// something outside their scope, and returns the exception to throw. <paramref name="message"/> is what the person
    /// is told; it never names a record they may not see.
    /// </summary>
    public ScopeDeniedException Refuse(int? staffMemberId, string message, int? schoolSystemId = null)
    {
        LogScopeRefused(_logger, staffMemberId, schoolSystemId, message);
        var at = _clock.GetUtcNow();
        if (!_refusals.Writer.TryWrite(new QueuedRefusal(staffMemberId, schoolSystemId, message, at)))
        {
            LogRefusalNotAudited(_logger, staffMemberId, QueueCapacity);
        }
        return new ScopeDeniedException(new RecordedRefusal(message));
    }

    /// <inheritdoc cref="Refuse(int?, string, int?)"/>
    public ScopeDeniedException Refuse(Caller caller, string message, int? schoolSystemId = null) =>
        Refuse(caller.StaffMemberId, message, schoolSystemId);

    /// <summary>
    /// Records, in the audit log and as a log event, that <paramref name="caller"/> is being handed personal data:
    /// <paramref name="document"/> (for example "Authorized-user list (CSV)") naming <paramref name="people"/> people of
    /// <paramref name="schoolSystemId"/> (null: more than one or statewide). Call before the file leaves Core.
    /// </summary>
    public async Task PersonalDataHandedOutAsync(
        Caller caller, string document, int? schoolSystemId, int people, string? filter, CancellationToken ct)
    {
        LogPersonalDataDownloaded(_logger, caller.StaffMemberId, document, schoolSystemId, people);
        await using var db = await _dbFactory.CreateDbContextAsync(ct);
        await using var transaction = await db.BeginWriteAsync(ct);
        await AuditLog.AppendAsync(db, caller, _clock.GetUtcNow(), new AuditEntry(
            AuditAction.PersonalDataDownloaded, "Document", Truncate(document, AuditEvent.EntityIdMaxLength), schoolSystemId,
            After: new { Document = document, People = people, Filter = filter }), ct);
        await transaction.CommitAsync(ct);
    }

    /// <summary>A sign-in that started a session for a linked, active staff record.</summary>
    public void SignedIn(string? issuer, string? subject, int staffMemberId) =>
        LogSignedIn(_logger, Loggable(issuer), Loggable(subject), staffMemberId);

    /// <summary>A sign-in the provider validated that links to no staff record: the person may file a link request.</summary>
    public void SignedInUnlinked(string? issuer, string? subject) => LogUnlinkedSignIn(_logger, Loggable(issuer), Loggable(subject));

    /// <summary>A sign-in the console refused (no account named, development sign-in not accepted, staff record ended).</summary>
    public void SignInRefused(string? issuer, string? subject, string reason) =>
        LogSignInRefused(_logger, Loggable(issuer), Loggable(subject), Loggable(reason));

    /// <summary>A sign-out that ended a live session.</summary>
    public void SignedOut(string? issuer, string? subject, int? staffMemberId) =>
        LogSignedOut(_logger, Loggable(issuer), Loggable(subject), staffMemberId);

    /// <summary>
    /// A value a provider sent, fit for a log line: without control characters (a forged line break cannot start a false
    /// log entry) and at most <see cref="LoggedValueMaxLength"/> characters.
    /// </summary>
    internal static string Loggable(string? value)
    {
        var safe = TextRules.WithoutUnsafe(value ?? "");
        return safe.Length <= LoggedValueMaxLength ? safe : safe[..LoggedValueMaxLength] + "…";
    }

    private const int LoggedValueMaxLength = 300;

    /// <summary>
    /// Writes every refusal queued so far to the audit log, a batch per transaction, and returns how many it wrote
    /// (repeats within <see cref="RepeatWindow"/> are not written).
    /// The background writer calls it as refusals arrive; tests call it to wait for them.
    /// </summary>
    public async Task<int> WriteQueuedRefusalsAsync(CancellationToken ct = default)
    {
        var written = 0;
        var batch = new List<QueuedRefusal>(WriteBatch);
        while (true)
        {
            batch.Clear();
            var read = 0;
            while (read < WriteBatch && _refusals.Reader.TryRead(out var refusal))
            {
                read++;
                if (!IsRepeat(refusal))
                {
                    batch.Add(refusal);
                }
            }
            if (read == 0)
            {
                return written;
            }
            if (batch.Count > 0)
            {
                await WriteAsync(batch, ct);
                written += batch.Count;
            }
        }
    }

    /// <summary>Whether an identical refusal was audited within <see cref="RepeatWindow"/> before this one; if not, this one is.</summary>
    private bool IsRepeat(QueuedRefusal refusal)
    {
        var key = (refusal.StaffMemberId, refusal.SchoolSystemId, refusal.Message);
        lock (_lastAudited)
        {
            if (_lastAudited.TryGetValue(key, out var last) && refusal.At - last < RepeatWindow && refusal.At >= last)
            {
                return true;
            }
            if (_lastAudited.Count >= QueueCapacity)
            {
                var expired = _lastAudited.Where(e => refusal.At - e.Value >= RepeatWindow).Select(e => e.Key).ToList();
                expired.ForEach(k => _lastAudited.Remove(k));
                if (_lastAudited.Count >= QueueCapacity)
                {
                    _lastAudited.Clear();
                }
            }
            _lastAudited[key] = refusal.At;
            return false;
        }
    }

    /// <summary>Waits until a refusal is queued; false once the queue is closed.</summary>
    internal ValueTask<bool> WaitForRefusalsAsync(CancellationToken ct) => _refusals.Reader.WaitToReadAsync(ct);

    private async Task WriteAsync(IReadOnlyList<QueuedRefusal> batch, CancellationToken ct)
    {
        await using var db = await _dbFactory.CreateDbContextAsync(ct);
        var ids = batch.Where(r => r.StaffMemberId is not null).Select(r => r.StaffMemberId!.Value).Distinct().ToList();
        var names = await db.StaffMembers.AsNoTracking().Where(s => ids.Contains(s.Id))
            .Select(s => new { s.Id, Name = s.FirstName + " " + s.LastName })
            .ToDictionaryAsync(s => s.Id, s => s.Name, ct);
        await using var transaction = await db.BeginWriteAsync(ct);
        foreach (var refusal in batch)
        {
            var entry = new AuditEntry(AuditAction.ScopeRefused, "StaffMember",
                refusal.StaffMemberId?.ToString(CultureInfo.InvariantCulture) ?? "unlinked account", refusal.SchoolSystemId,
                After: new { Refused = refusal.Message });
            if (refusal.StaffMemberId is int id && names.TryGetValue(id, out var name))
            {
                await AuditLog.AppendAsync(db, new Caller(id, name), refusal.At, entry, ct);
            }
            else
            {
                await AuditLog.AppendAsSystemAsync(db, UnknownActorName, refusal.At, entry, ct);
            }
        }
        await transaction.CommitAsync(ct);
    }

    /// <summary>The actor of a refusal of an account that names no staff record.</summary>
    public const string UnknownActorName = "A sign-on account linked to no staff record";

    private static string Truncate(string value, int length) => value.Length <= length ? value : value[..length];

    /// <summary>Proof that a refusal went through <see cref="Refuse(int?, string, int?)"/>: only it can make one.</summary>
    public sealed class RecordedRefusal
    {
        internal RecordedRefusal(string message) => Message = message;

        public string Message { get; }
    }

    private sealed record QueuedRefusal(int? StaffMemberId, int? SchoolSystemId, string Message, DateTimeOffset At);

    [LoggerMessage(EventId = SecurityEventIds.SignedIn, EventName = nameof(SecurityEventIds.SignedIn), Level = LogLevel.Information,
        Message = "Signed in: account {Issuer} {Subject} as staff record {StaffMemberId}.")]
    private static partial void LogSignedIn(ILogger logger, string issuer, string subject, int staffMemberId);

    [LoggerMessage(EventId = SecurityEventIds.UnlinkedSignIn, EventName = nameof(SecurityEventIds.UnlinkedSignIn), Level = LogLevel.Warning,
        Message = "Sign-in linked to no staff record: account {Issuer} {Subject}; the person may file a link request.")]
    private static partial void LogUnlinkedSignIn(ILogger logger, string issuer, string subject);

    [LoggerMessage(EventId = SecurityEventIds.SignInRefused, EventName = nameof(SecurityEventIds.SignInRefused), Level = LogLevel.Warning,
        Message = "Sign-in refused: account {Issuer} {Subject}: {Reason}")]
    private static partial void LogSignInRefused(ILogger logger, string issuer, string subject, string reason);

    [LoggerMessage(EventId = SecurityEventIds.SignedOut, EventName = nameof(SecurityEventIds.SignedOut), Level = LogLevel.Information,
        Message = "Signed out: account {Issuer} {Subject} (staff record {StaffMemberId}).")]
    private static partial void LogSignedOut(ILogger logger, string issuer, string subject, int? staffMemberId);

    [LoggerMessage(EventId = SecurityEventIds.ScopeRefused, EventName = nameof(SecurityEventIds.ScopeRefused), Level = LogLevel.Warning,
        Message = "Refused for scope: staff record {StaffMemberId}, school system {SchoolSystemId}: {Refusal}")]
    private static partial void LogScopeRefused(ILogger logger, int? staffMemberId, int? schoolSystemId, string refusal);

    [LoggerMessage(EventId = SecurityEventIds.PersonalDataDownloaded, EventName = nameof(SecurityEventIds.PersonalDataDownloaded), Level = LogLevel.Information,
        Message = "Personal data handed out: {Document} of school system {SchoolSystemId} ({People} people) to staff record {StaffMemberId}.")]
    private static partial void LogPersonalDataDownloaded(ILogger logger, int staffMemberId, string document, int? schoolSystemId, int people);

    [LoggerMessage(EventId = SecurityEventIds.RefusalNotAudited, EventName = nameof(SecurityEventIds.RefusalNotAudited), Level = LogLevel.Error,
        Message = "A refusal of staff record {StaffMemberId} was logged but not queued for the audit log: {Capacity} refusals already wait.")]
    private static partial void LogRefusalNotAudited(ILogger logger, int? staffMemberId, int capacity);
}

/// <summary>The ids of the security log events; stable, so a log pipeline can alert on them.</summary>
public static class SecurityEventIds
{
    public const int SignedIn = 7001;
    public const int SignedOut = 7002;
    public const int UnlinkedSignIn = 7003;
    public const int SignInRefused = 7004;
    public const int ScopeRefused = 7005;
    public const int PersonalDataDownloaded = 7006;
    public const int RefusalNotAudited = 7007;
}
