using System.Globalization;
using EserSecurity.Core.Audit;
using EserSecurity.Core.Changes;
using EserSecurity.Core.Data;
using EserSecurity.Core.Home;
using EserSecurity.Core.Security;
using Microsoft.EntityFrameworkCore;

namespace EserSecurity.Core.KeyDates;

/// <summary>
/// The go-live calendar: go-live itself (exactly one), the weekly Q&amp;A sessions with their times and the document
/// releases. Everyone may read it; only state administrators change it, and every change is audited.
/// </summary>
public sealed class KeyDateService(
    IDbContextFactory<EserSecurityDbContext> dbFactory, ScopeService scopes, IAccessChangeFeed changes, TimeProvider clock)
{
    private const string Administer = "change the key dates";

    /// <summary>At most this many weekly sessions are added at once (a school year of Mondays).</summary>
    public const int MaxWeeklySessions = 53;

    /// <summary>
    /// Whether a change can alter the calendar that <see cref="ListAsync"/>, <see cref="GetUpcomingAsync"/> and
    /// <see cref="GetGoLiveAsync"/> read: only a change to the key dates themselves, which concerns everyone.
    /// </summary>
    public static bool ConcernsCalendar(AccessChange change) => change.Kind == AccessChangeKind.KeyDatesChanged;

    /// <summary>Every key date, oldest first.</summary>
    public async Task<IReadOnlyList<KeyDateRow>> ListAsync(CancellationToken ct = default)
    {
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        return await Rows(db, db.KeyDates.AsNoTracking()).ToListAsync(ct);
    }

    /// <summary>The dates from today on, and the go-live date even once it has passed, soonest first.</summary>
    public async Task<IReadOnlyList<KeyDateRow>> GetUpcomingAsync(int max = 20, CancellationToken ct = default)
    {
        var today = clock.Today();
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        return await Rows(db, db.KeyDates.AsNoTracking().Where(k => k.On >= today || k.Kind == KeyDateKind.GoLive)).Take(max).ToListAsync(ct);
    }

    /// <summary>
    /// Whether a key date has passed: it is before today and so no longer upcoming (<see cref="GetUpcomingAsync"/>).
    /// Go-live never passes: it stays the date everything counts from.
    /// </summary>
    public bool HasPassed(KeyDateRow date) => date.On < clock.Today() && date.Kind != KeyDateKind.GoLive;

    /// <summary>The go-live date and the days left until it (negative once it has passed); null while none is set.</summary>
    public async Task<GoLiveCountdown?> GetGoLiveAsync(CancellationToken ct = default)
    {
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        return await GoLiveAsync(db, clock.Today(), ct);
    }

    internal static async Task<GoLiveCountdown?> GoLiveAsync(EserSecurityDbContext db, DateOnly today, CancellationToken ct)
    {
        var goLive = await db.KeyDates.AsNoTracking().Where(k => k.Kind == KeyDateKind.GoLive)
            .OrderBy(k => k.On).Select(k => (DateOnly?)k.On).FirstOrDefaultAsync(ct);
        return goLive is DateOnly on ? new GoLiveCountdown(on, on.DayNumber - today.DayNumber) : null;
    }

    /// <summary>Adds a key date; returns its id. A second go-live date is refused: change the one there is.</summary>
    public async Task<int> CreateAsync(Caller caller, KeyDateEdit edit, CancellationToken ct = default)
    {
        var date = Validate(edit);
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        (await scopes.GetScopeAsync(db, caller.StaffMemberId, ct)).DemandStateAdministrator(Administer);

        await using var transaction = await db.BeginWriteAsync(ct);
        await DemandSingleGoLiveAsync(db, date, null, ct);
        var entity = new KeyDate { Title = date.Title };
        Apply(entity, date);
        db.KeyDates.Add(entity);
        await db.SaveChangesAsync(ct);
        await FinishAsync(db, transaction, caller, [new AuditEntry("KeyDate.Created", nameof(KeyDate), Id(entity.Id), null, null, Snapshot(entity))], ct);
        return entity.Id;
    }

    /// <summary>Adds one session a week from <paramref name="first"/>'s date up to and including <paramref name="lastOn"/>; returns how many.</summary>
    public async Task<int> AddWeeklyAsync(Caller caller, KeyDateEdit first, DateOnly lastOn, CancellationToken ct = default)
    {
        var date = Validate(first);
        if (date.Kind == KeyDateKind.GoLive)
        {
            throw new KeyDateRefusedException("Go-live happens once; only sessions and other dates repeat weekly.");
        }
        if (lastOn < date.On)
        {
            throw new KeyDateRefusedException("The last session cannot come before the first.");
        }
        var count = (lastOn.DayNumber - date.On.DayNumber) / 7 + 1;
        if (count > MaxWeeklySessions)
        {
            throw new KeyDateRefusedException($"That is {count} weeks; add at most {MaxWeeklySessions} at once.");
        }

        await using var db = await dbFactory.CreateDbContextAsync(ct);
        (await scopes.GetScopeAsync(db, caller.StaffMemberId, ct)).DemandStateAdministrator(Administer);
        await using var transaction = await db.BeginWriteAsync(ct);
        var entities = Enumerable.Range(0, count).Select(week =>
        {
            var entity = new KeyDate { Title = date.Title };
            Apply(entity, date with { On = date.On.AddDays(7 * week) });
            return entity;
        }).ToList();
        db.KeyDates.AddRange(entities);
        await db.SaveChangesAsync(ct);
        await FinishAsync(db, transaction, caller,
            entities.Select(e => new AuditEntry("KeyDate.Created", nameof(KeyDate), Id(e.Id), null, null, Snapshot(e))).ToList(), ct);
        return count;
    }

    /// <summary>
    /// Changes a key date as read at <paramref name="readVersion"/> (<see cref="KeyDateRow.Version"/>); refused, naming
    /// who changed it and when, if another administrator changed or removed it since.
    /// </summary>
    public async Task UpdateAsync(Caller caller, int keyDateId, long readVersion, KeyDateEdit edit, CancellationToken ct = default)
    {
        var date = Validate(edit);
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        (await scopes.GetScopeAsync(db, caller.StaffMemberId, ct)).DemandStateAdministrator(Administer);

        await using var transaction = await db.BeginWriteAsync(ct);
        await EditVersions.DemandUnchangedAsync(db, nameof(KeyDate), keyDateId, readVersion, "this key date", null, m => new KeyDateRefusedException(m), ct);
        var entity = await FindAsync(db, keyDateId, ct);
        await DemandSingleGoLiveAsync(db, date, keyDateId, ct);
        var before = Snapshot(entity);
        Apply(entity, date);
        await db.SaveChangesAsync(ct);
        await FinishAsync(db, transaction, caller, [new AuditEntry("KeyDate.Updated", nameof(KeyDate), Id(keyDateId), null, before, Snapshot(entity))], ct);
    }

    /// <summary>Removes a key date, such as a cancelled session; the audit log keeps what it was.</summary>
    public async Task RemoveAsync(Caller caller, int keyDateId, CancellationToken ct = default)
    {
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        (await scopes.GetScopeAsync(db, caller.StaffMemberId, ct)).DemandStateAdministrator(Administer);

        await using var transaction = await db.BeginWriteAsync(ct);
        var entity = await FindAsync(db, keyDateId, ct);
        var before = Snapshot(entity);
        db.KeyDates.Remove(entity);
        await db.SaveChangesAsync(ct);
        await FinishAsync(db, transaction, caller, [new AuditEntry("KeyDate.Removed", nameof(KeyDate), Id(keyDateId), null, before, null)], ct);
    }

    private async Task FinishAsync(
        EserSecurityDbContext db, Microsoft.EntityFrameworkCore.Storage.IDbContextTransaction transaction, Caller caller,
        IReadOnlyList<AuditEntry> entries, CancellationToken ct)
    {
        var now = clock.GetUtcNow();
        await AuditLog.AppendAsync(db, caller, now, entries, ct);
        await transaction.CommitAsync(ct);
        changes.Publish(new AccessChange(AccessChangeKind.KeyDatesChanged, null, null, null, caller.StaffMemberId, now));
    }

    private static KeyDateEdit Validate(KeyDateEdit edit)
    {
        var title = (edit.Title ?? "").Trim();
        var notes = string.IsNullOrWhiteSpace(edit.Notes) ? null : edit.Notes.Trim();
        if (!Enum.IsDefined(edit.Kind))
        {
            throw new KeyDateRefusedException("Choose what kind of date this is.");
        }
        if (title.Length == 0)
        {
            throw new KeyDateRefusedException("The title is required.");
        }
        if (title.Length > KeyDate.TitleMaxLength)
        {
            throw new KeyDateRefusedException($"The title is {title.Length} characters; keep it to {KeyDate.TitleMaxLength}.");
        }
        if (TextRules.NameProblem(title, "the title") is { } unsafeTitle)
        {
            throw new KeyDateRefusedException(unsafeTitle);
        }
        if (notes?.Length > KeyDate.NotesMaxLength)
        {
            throw new KeyDateRefusedException($"The notes are {notes.Length} characters; keep them to {KeyDate.NotesMaxLength}.");
        }
        if (TextRules.ProseProblem(notes, "the notes", KeyDate.NotesMaxLength) is { } unsafeNotes)
        {
            throw new KeyDateRefusedException(unsafeNotes);
        }
        if (edit.Kind == KeyDateKind.QaSession && edit.StartsAt is null)
        {
            throw new KeyDateRefusedException("A Q&A session needs its start time.");
        }
        if (edit.EndsAt is not null && edit.StartsAt is null)
        {
            throw new KeyDateRefusedException("An end time needs a start time.");
        }
        if (edit.EndsAt <= edit.StartsAt)
        {
            throw new KeyDateRefusedException("The end time must come after the start time.");
        }
        return edit with { Title = title, Notes = notes };
    }

    private static async Task DemandSingleGoLiveAsync(EserSecurityDbContext db, KeyDateEdit date, int? exceptId, CancellationToken ct)
    {
        if (date.Kind != KeyDateKind.GoLive)
        {
            return;
        }
        var other = await db.KeyDates.AsNoTracking().Where(k => k.Kind == KeyDateKind.GoLive && k.Id != exceptId)
            .Select(k => (DateOnly?)k.On).FirstOrDefaultAsync(ct);
        if (other is DateOnly on)
        {
            throw new KeyDateRefusedException(
                $"Go-live is already set for {on.ToString("MMMM d, yyyy", CultureInfo.InvariantCulture)}; change that date instead of adding another.");
        }
    }

    private static void Apply(KeyDate entity, KeyDateEdit date)
    {
        entity.Kind = date.Kind;
        entity.Title = date.Title;
        entity.On = date.On;
        entity.StartsAt = date.StartsAt;
        entity.EndsAt = date.EndsAt;
        entity.Notes = date.Notes;
    }

    private static async Task<KeyDate> FindAsync(EserSecurityDbContext db, int keyDateId, CancellationToken ct) =>
        await db.KeyDates.SingleOrDefaultAsync(k => k.Id == keyDateId, ct) ?? throw new KeyDateRefusedException("That key date does not exist.");

    private static IQueryable<KeyDateRow> Rows(EserSecurityDbContext db, IQueryable<KeyDate> dates) =>
        dates.OrderBy(k => k.On).ThenBy(k => k.StartsAt).ThenBy(k => k.Id)
            .Select(k => new KeyDateRow(k.Id, k.Kind, k.Title, k.On, k.StartsAt, k.EndsAt, k.Notes,
                db.AuditEvents.Where(e => e.EntityType == nameof(KeyDate) && e.EntityId == k.Id.ToString()).Max(e => (long?)e.Sequence) ?? 0));

    private static object Snapshot(KeyDate k) => new
    {
        kind = k.Kind.ToString(),
        title = k.Title,
        on = k.On.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture),
        startsAt = k.StartsAt?.ToString("HH:mm", CultureInfo.InvariantCulture),
        endsAt = k.EndsAt?.ToString("HH:mm", CultureInfo.InvariantCulture),
        notes = k.Notes,
    };

    private static string Id(int id) => id.ToString(CultureInfo.InvariantCulture);
}
