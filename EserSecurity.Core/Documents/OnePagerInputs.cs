using EserSecurity.Core.Data;
using EserSecurity.Core.Documents.Layout;
using Microsoft.EntityFrameworkCore;

namespace EserSecurity.Core.Documents;

/// <summary>The two one-pagers of a school system.</summary>
internal enum OnePagerKind
{
    CoordinatorSetup,
    GainingAccess,
}

/// <summary>
/// What one-pagers read from the database (a school system's sheet, the key dates), and the one-pagers composed from
/// them, kept until the next audited change or the next day. Everything a one-pager says (school systems and their schools and groups, assignments, the people
/// named, key dates) changes only through audited writes, and every audited write moves the audit chain head's sequence
/// in its own transaction; so inputs read at one sequence stay right until it moves, whichever console instance committed
/// the change. The day is part of the key because assignments start and end on a day without any write.
/// </summary>
/// <remarks>
/// Only the inputs of the latest (sequence, day) read are kept: one sheet per school system and its two composed
/// one-pagers, a few tens of kilobytes each. A composed one-pager holds everything but who downloads it and when, which
/// each download gives to <see cref="PdfComposer.Build(string, DateTimeOffset)"/>. The caller's scope is not part of what
/// is kept; it is checked for every download before the inputs are asked for.
/// </remarks>
internal sealed class OnePagerInputs
{
    /// <summary>The audit chain head's sequence, compiled once: it is read for every one-pager download.</summary>
    private static readonly Func<EserSecurityDbContext, CancellationToken, Task<long>> SequenceQuery = EF.CompileAsyncQuery(
        (EserSecurityDbContext db, CancellationToken ct) => db.AuditChainHeads.AsNoTracking().Select(h => h.LastSequence).Single());

    private readonly Lock _gate = new();
    private Kept? _kept;

    /// <summary>
    /// The sheet of <paramref name="schoolSystemId"/> (null when there is no such school system) and the key dates from
    /// <paramref name="today"/> on, as the database holds them now: kept ones when nothing was committed since they were
    /// read, else read through <paramref name="db"/> and kept.
    /// </summary>
    public async Task<(SchoolSystemSheet? Sheet, IReadOnlyList<KeyDateLine> KeyDates)> GetAsync(
        EserSecurityDbContext db, int schoolSystemId, DateOnly today, CancellationToken ct)
    {
        // Read before the inputs: a change committed between the two is then kept under the older sequence, which no
        // later download asks for, and never under the newer one.
        var sequence = await SequenceQuery(db, ct);
        SchoolSystemSheet? sheet = null;
        IReadOnlyList<KeyDateLine>? keyDates = null;
        lock (_gate)
        {
            if (_kept is { } kept && kept.Sequence == sequence && kept.Day == today)
            {
                kept.Sheets.TryGetValue(schoolSystemId, out sheet);
                keyDates = kept.KeyDates;
            }
        }
        if (sheet is not null && keyDates is not null)
        {
            return (sheet, keyDates);
        }

        sheet ??= (await SchoolSystemSheets.LoadAsync(db, schoolSystemId, today, ct)).SingleOrDefault();
        keyDates ??= await SchoolSystemSheets.LoadKeyDatesAsync(db, today, ct);
        lock (_gate)
        {
            if (_kept is not { } kept || kept.Sequence != sequence || kept.Day != today)
            {
                kept = new Kept(sequence, today);
                _kept = kept;
            }
            kept.KeyDates ??= keyDates;
            if (sheet is not null)
            {
                kept.Sheets[schoolSystemId] = sheet;
            }
        }
        return (sheet, keyDates);
    }

    /// <summary>
    /// The <paramref name="kind"/> one-pager of <paramref name="sheet"/> as <paramref name="compose"/> lays it out: the kept
    /// one when <paramref name="sheet"/> is the kept sheet of its school system, else composed now (and kept with it).
    /// </summary>
    public PdfComposer Composed(SchoolSystemSheet sheet, OnePagerKind kind, Func<PdfComposer> compose)
    {
        lock (_gate)
        {
            if (KeptWith(sheet) is { } kept && kept.Composed.TryGetValue((sheet.Id, kind), out var composed))
            {
                return composed;
            }
        }
        var made = compose();
        lock (_gate)
        {
            // Kept only beside the very sheet it was composed from: a sheet of an older sequence is composed each time.
            KeptWith(sheet)?.Composed.TryAdd((sheet.Id, kind), made);
        }
        return made;
    }

    private Kept? KeptWith(SchoolSystemSheet sheet) =>
        _kept is { } kept && kept.Sheets.TryGetValue(sheet.Id, out var keptSheet) && ReferenceEquals(keptSheet, sheet) ? kept : null;

    /// <summary>The inputs read at one sequence on one day; only read and written under the gate.</summary>
    private sealed class Kept(long sequence, DateOnly day)
    {
        public long Sequence { get; } = sequence;

        public DateOnly Day { get; } = day;

        public IReadOnlyList<KeyDateLine>? KeyDates { get; set; }

        public Dictionary<int, SchoolSystemSheet> Sheets { get; } = [];

        /// <summary>Laid out and paginated, never changed again: builds only read them, on any thread.</summary>
        public Dictionary<(int SchoolSystemId, OnePagerKind Kind), PdfComposer> Composed { get; } = [];
    }
}
