using System.Globalization;
using EserSecurity.Core.AccessRequests;
using EserSecurity.Core.Audit;
using EserSecurity.Core.Changes;
using EserSecurity.Core.Data;
using EserSecurity.Core.Security;
using Microsoft.EntityFrameworkCore;

namespace EserSecurity.Core.Assurance;

/// <summary>
/// The confidentiality assurance statement, one per school year, written and published by state administrators.
/// A published version never changes: editing is a conditional update on the draft state, so not even a publish
/// racing an edit lets the edit through. A correction is a new version of the same year; once published it is the
/// year's current statement, and signatures of the earlier version stay valid for that year.
/// </summary>
public sealed class StatementService(
    IDbContextFactory<EserSecurityDbContext> dbFactory, ScopeService scopes, IAccessChangeFeed changes, TimeProvider clock)
{
    /// <summary>Every version, newest school year first and within a year newest version first. State administrators only.</summary>
    public async Task<IReadOnlyList<StatementVersionRow>> ListVersionsAsync(Caller caller, int? schoolYear = null, CancellationToken ct = default)
    {
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        await DemandAdministratorAsync(db, caller, "see the statement versions", ct);
        var versions = db.StatementVersions.AsNoTracking();
        if (schoolYear is int year)
        {
            versions = versions.Where(v => v.SchoolYear == year);
        }
        var rows = await versions
            .OrderByDescending(v => v.SchoolYear).ThenByDescending(v => v.VersionNumber)
            .Select(v => new
            {
                v.Id, v.SchoolYear, v.VersionNumber, v.Title, v.Status, v.PublishedAt,
                PublishedBy = v.PublishedBy != null ? v.PublishedBy.FirstName + " " + v.PublishedBy.LastName : null,
                IsCurrent = v.Status == StatementStatus.Published && !db.StatementVersions.Any(o =>
                    o.SchoolYear == v.SchoolYear && o.Status == StatementStatus.Published && o.VersionNumber > v.VersionNumber),
                Signatures = db.AssuranceSignatures.Count(s => s.StatementVersionId == v.Id),
            })
            .ToListAsync(ct);
        return rows.Select(v => new StatementVersionRow(v.Id, new SchoolYear(v.SchoolYear), v.VersionNumber, v.Title, v.Status, v.PublishedAt,
            v.PublishedBy, v.IsCurrent, v.Signatures)).ToList();
    }

    /// <summary>One version with its text, draft or published. State administrators only.</summary>
    public async Task<StatementView> GetVersionAsync(Caller caller, int versionId, CancellationToken ct = default)
    {
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        await DemandAdministratorAsync(db, caller, "see the statement versions", ct);
        var version = await db.StatementVersions.AsNoTracking().SingleOrDefaultAsync(v => v.Id == versionId, ct)
            ?? throw new AssuranceRefusedException("That statement version does not exist.");
        var current = await Statements.CurrentAsync(db, version.SchoolYear, ct);
        return Statements.View(version, current?.Id == version.Id) with
        {
            Version = await EditVersions.OfAsync(db, nameof(StatementVersion), versionId, null, ct),
        };
    }

    /// <summary>
    /// The statement people sign on <paramref name="day"/>: the newest published version of that school year, or null
    /// while none is published. Statement text is no secret, so anyone may read it.
    /// </summary>
    public async Task<StatementView?> GetCurrentAsync(DateOnly day, CancellationToken ct = default)
    {
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var current = await Statements.CurrentAsync(db, SchoolYear.Containing(day).StartYear, ct);
        return current is null ? null : Statements.View(current, true);
    }

    /// <summary>The school years new versions may be written for: this school year and the next.</summary>
    public IReadOnlyList<SchoolYear> WritableYears()
    {
        var thisYear = SchoolYear.Containing(clock.Today());
        return [thisYear, new SchoolYear(thisYear.StartYear + 1)];
    }

    /// <summary>Whether a new version of <paramref name="year"/> may still be started (see <see cref="WritableYears"/>).</summary>
    public bool IsWritable(SchoolYear year) => WritableYears().Contains(year);

    /// <summary>
    /// How the next version of a school year starts: the year's draft when it has one (edit that instead), otherwise the
    /// number <see cref="CreateDraftAsync"/> will give it and the text it starts from, which is the year's newest version
    /// or else the newest of any year, since a correction or next year's statement mostly repeats it. State administrators only.
    /// </summary>
    public async Task<StatementStart> StartVersionAsync(Caller caller, SchoolYear year, CancellationToken ct = default)
    {
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        await DemandAdministratorAsync(db, caller, "write confidentiality assurance statements", ct);
        var ofYear = await db.StatementVersions.AsNoTracking().Where(v => v.SchoolYear == year.StartYear)
            .Select(v => new { v.Id, v.VersionNumber, v.Status }).ToListAsync(ct);
        if (ofYear.FirstOrDefault(v => v.Status == StatementStatus.Draft) is { } draft)
        {
            return new StatementStart(year, draft.VersionNumber, draft.Id, null);
        }
        var template = await db.StatementVersions.AsNoTracking()
            .OrderByDescending(v => v.SchoolYear == year.StartYear).ThenByDescending(v => v.SchoolYear).ThenByDescending(v => v.VersionNumber)
            .FirstOrDefaultAsync(ct);
        var current = template is null ? null : await Statements.CurrentAsync(db, template.SchoolYear, ct);
        return new StatementStart(year, NextVersionNumber(ofYear.Select(v => v.VersionNumber)), null,
            template is null ? null : Statements.View(template, current?.Id == template.Id));
    }

    /// <summary>
    /// Starts the next version of a school year as a draft. Allowed for the current and the next school year, and
    /// only while the year has no other draft.
    /// </summary>
    public async Task<int> CreateDraftAsync(Caller caller, SchoolYear year, StatementContent content, CancellationToken ct = default)
    {
        var clean = Validate(content);
        var writable = WritableYears();
        if (!writable.Contains(year))
        {
            throw new AssuranceRefusedException($"Statements can be written for {writable[0].Label} or {writable[1].Label}, not for {year.Label}.");
        }

        await using var db = await dbFactory.CreateDbContextAsync(ct);
        await DemandAdministratorAsync(db, caller, "write confidentiality assurance statements", ct);
        await using var transaction = await db.BeginWriteAsync(ct);
        var existing = await db.StatementVersions.AsNoTracking().Where(v => v.SchoolYear == year.StartYear)
            .Select(v => new { v.VersionNumber, v.Status }).ToListAsync(ct);
        if (existing.FirstOrDefault(v => v.Status == StatementStatus.Draft) is { } draft)
        {
            throw new AssuranceRefusedException(
                $"{year.Label} already has a draft (version {draft.VersionNumber}): edit or publish it instead of starting another.");
        }
        var now = clock.GetUtcNow();
        var version = new StatementVersion
        {
            SchoolYear = year.StartYear,
            VersionNumber = NextVersionNumber(existing.Select(v => v.VersionNumber)),
            Title = clean.Title,
            Body = clean.Body,
            Acknowledgements = clean.Acknowledgements,
            Status = StatementStatus.Draft,
        };
        db.StatementVersions.Add(version);
        await db.SaveChangesAsync(ct);
        await AuditLog.AppendAsync(db, caller, now, new AuditEntry("Statement.DraftCreated", nameof(StatementVersion), Id(version.Id), null,
            null, AuditState(version)), ct);
        await transaction.CommitAsync(ct);
        return version.Id;
    }

    /// <summary>
    /// Replaces the text of a draft as read at <paramref name="readVersion"/> (<see cref="StatementView.Version"/>) and
    /// returns its new version. A published version is refused: it can never change; a correction is a new version. A
    /// draft another administrator saved since is refused, naming who and when.
    /// </summary>
    public async Task<long> UpdateDraftAsync(Caller caller, int versionId, long readVersion, StatementContent content, CancellationToken ct = default)
    {
        var clean = Validate(content);
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        await DemandAdministratorAsync(db, caller, "edit confidentiality assurance statements", ct);
        await using var transaction = await db.BeginWriteAsync(ct);
        await EditVersions.DemandUnchangedAsync(db, nameof(StatementVersion), versionId, readVersion, "this draft", null,
            m => new AssuranceRefusedException(m), ct);
        var before = await db.StatementVersions.AsNoTracking().SingleOrDefaultAsync(v => v.Id == versionId, ct)
            ?? throw new AssuranceRefusedException("That statement version does not exist.");
        // Conditional on the draft state, so the database itself never lets a published version change.
        var updated = await db.StatementVersions
            .Where(v => v.Id == versionId && v.Status == StatementStatus.Draft)
            .ExecuteUpdateAsync(s => s
                .SetProperty(v => v.Title, clean.Title)
                .SetProperty(v => v.Body, clean.Body)
                .SetProperty(v => v.Acknowledgements, clean.Acknowledgements), ct);
        if (updated == 0)
        {
            await transaction.RollbackAsync(ct);
            throw PublishedCannotChange(before);
        }
        var after = new StatementVersion
        {
            SchoolYear = before.SchoolYear,
            VersionNumber = before.VersionNumber,
            Title = clean.Title,
            Body = clean.Body,
            Acknowledgements = clean.Acknowledgements,
        };
        await AuditLog.AppendAsync(db, caller, clock.GetUtcNow(), new AuditEntry("Statement.DraftEdited", nameof(StatementVersion), Id(versionId), null,
            AuditState(before), AuditState(after)), ct);
        var saved = await EditVersions.OfAsync(db, nameof(StatementVersion), versionId, null, ct);
        await transaction.CommitAsync(ct);
        return saved;
    }

    /// <summary>
    /// Publishes a draft; from then on it is the school year's current statement and never changes. When the year
    /// already had a published version, this one corrects it: new signatures are of this version, and signatures of
    /// the earlier one stay valid for the year.
    /// </summary>
    public async Task<StatementPublication> PublishAsync(Caller caller, int versionId, CancellationToken ct = default)
    {
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        await DemandAdministratorAsync(db, caller, "publish confidentiality assurance statements", ct);
        var now = clock.GetUtcNow();
        await using var transaction = await db.BeginWriteAsync(ct);
        var version = await db.StatementVersions.AsNoTracking().SingleOrDefaultAsync(v => v.Id == versionId, ct)
            ?? throw new AssuranceRefusedException("That statement version does not exist.");
        var year = new SchoolYear(version.SchoolYear);
        if (version.Status == StatementStatus.Draft && year.EndsOn < clock.Today())
        {
            throw new AssuranceRefusedException($"{year.Label} has ended: its statement can no longer be published.");
        }
        var previous = await Statements.CurrentAsync(db, version.SchoolYear, ct);
        var updated = await db.StatementVersions
            .Where(v => v.Id == versionId && v.Status == StatementStatus.Draft)
            .ExecuteUpdateAsync(s => s
                .SetProperty(v => v.Status, StatementStatus.Published)
                .SetProperty(v => v.PublishedAt, now)
                .SetProperty(v => v.PublishedById, caller.StaffMemberId), ct);
        if (updated == 0)
        {
            await transaction.RollbackAsync(ct);
            var publisher = await db.StatementVersions.AsNoTracking().Where(v => v.Id == versionId)
                .Select(v => v.PublishedBy != null ? v.PublishedBy.FirstName + " " + v.PublishedBy.LastName : "someone").SingleAsync(ct);
            throw new AssuranceRefusedException(
                $"Version {version.VersionNumber} of {year.Label} is already published (by {publisher} on {FormatTime(version.PublishedAt!.Value)}).");
        }
        await AuditLog.AppendAsync(db, caller, now, new AuditEntry("Statement.Published", nameof(StatementVersion), Id(versionId), null,
            new { status = nameof(StatementStatus.Draft), currentVersion = previous?.VersionNumber },
            new { status = nameof(StatementStatus.Published), schoolYear = year.Label, version = version.VersionNumber, textHash = SignedText.Hash(version) }), ct);
        await transaction.CommitAsync(ct);

        changes.Publish(new AccessChange(AccessChangeKind.StatementPublished, null, null, null, caller.StaffMemberId, now));
        var message = previous is null
            ? $"Version {version.VersionNumber} of {year.Label} is published: it is the statement people sign for {year.Label}."
            : $"Version {version.VersionNumber} of {year.Label} is published and replaces version {previous.VersionNumber} as the statement people sign. Signatures of version {previous.VersionNumber} stay valid for {year.Label}.";
        return new StatementPublication(versionId, year, version.VersionNumber, now, previous?.VersionNumber, message);
    }

    /// <summary>A school year's versions are numbered 1, 2, … in the order they are started.</summary>
    private static int NextVersionNumber(IEnumerable<int> versionNumbers) => versionNumbers.DefaultIfEmpty().Max() + 1;

    /// <summary>Trims the text, keeps "\n" line ends, and refuses what breaks a limit, naming it.</summary>
    private static StatementContent Validate(StatementContent content)
    {
        var title = content.Title?.Trim() ?? "";
        var body = (content.Body ?? "").ReplaceLineEndings("\n").Trim();
        var acknowledgements = StatementMarkup.Acknowledgements(content.Acknowledgements ?? "");
        if (title.Length == 0)
        {
            throw new AssuranceRefusedException("Give the statement a title.");
        }
        if (title.Length > StatementVersion.TitleMaxLength)
        {
            throw new AssuranceRefusedException($"The title is {title.Length} characters; keep it to {StatementVersion.TitleMaxLength}.");
        }
        if (TextRules.NameProblem(title, "the title") is { } unsafeTitle)
        {
            throw new AssuranceRefusedException(unsafeTitle);
        }
        if (body.Length == 0)
        {
            throw new AssuranceRefusedException("Write the statement's text: the body is empty.");
        }
        if (body.Length > StatementVersion.BodyMaxLength)
        {
            throw new AssuranceRefusedException($"The text is {body.Length:N0} characters; keep it to {StatementVersion.BodyMaxLength:N0}.");
        }
        if (TextRules.ProseProblem(body, "the text", StatementVersion.BodyMaxLength) is { } unsafeBody)
        {
            throw new AssuranceRefusedException(unsafeBody);
        }
        if (acknowledgements.Count == 0)
        {
            throw new AssuranceRefusedException("Add at least one acknowledgement, one a line: each becomes a box the signer must tick.");
        }
        if (acknowledgements.Count > StatementVersion.MaxAcknowledgements)
        {
            throw new AssuranceRefusedException(
                $"There are {acknowledgements.Count} acknowledgements; keep to {StatementVersion.MaxAcknowledgements}.");
        }
        for (var i = 0; i < acknowledgements.Count; i++)
        {
            if (acknowledgements[i].Length > StatementVersion.AcknowledgementMaxLength)
            {
                throw new AssuranceRefusedException(
                    $"Acknowledgement {i + 1} is {acknowledgements[i].Length} characters; keep each to {StatementVersion.AcknowledgementMaxLength}.");
            }
            if (TextRules.NameProblem(acknowledgements[i], $"acknowledgement {i + 1}") is { } unsafeAcknowledgement)
            {
                throw new AssuranceRefusedException(unsafeAcknowledgement);
            }
        }
        return new StatementContent(title, body, string.Join('\n', acknowledgements));
    }

    private static AssuranceRefusedException PublishedCannotChange(StatementVersion version)
    {
        var year = new SchoolYear(version.SchoolYear);
        return new AssuranceRefusedException(
            $"Version {version.VersionNumber} of {year.Label} was published on {FormatTime(version.PublishedAt!.Value)} and can never change. "
            + $"To correct it, create a new version: once published it becomes the statement people sign, and signatures of version {version.VersionNumber} stay valid for {year.Label}.");
    }

    /// <summary>The body can run to 20,000 characters, so the audit trail records its fingerprint rather than repeating it.</summary>
    private static object AuditState(StatementVersion version) => new
    {
        schoolYear = new SchoolYear(version.SchoolYear).Label,
        version = version.VersionNumber,
        title = version.Title,
        bodySha256 = SignedText.Hash(version.Body),
        acknowledgements = StatementMarkup.Acknowledgements(version.Acknowledgements),
    };

    private async Task DemandAdministratorAsync(EserSecurityDbContext db, Caller caller, string what, CancellationToken ct) =>
        (await scopes.GetScopeAsync(db, caller.StaffMemberId, ct)).DemandStateAdministrator(what);

    private static string FormatTime(DateTimeOffset at) => AccessRequestService.FormatTime(at);

    private static string Id(int id) => id.ToString(CultureInfo.InvariantCulture);
}

/// <summary>Reads shared by the statement, signing and verification services.</summary>
internal static class Statements
{
    /// <summary>The newest published version of the school year, or null while none is published.</summary>
    public static Task<StatementVersion?> CurrentAsync(EserSecurityDbContext db, int schoolYear, CancellationToken ct) =>
        db.StatementVersions.AsNoTracking()
            .Where(v => v.SchoolYear == schoolYear && v.Status == StatementStatus.Published)
            .OrderByDescending(v => v.VersionNumber)
            .FirstOrDefaultAsync(ct);

    public static StatementView View(StatementVersion version, bool isCurrent) =>
        new(version.Id, new SchoolYear(version.SchoolYear), version.VersionNumber, version.Title, version.Body,
            StatementMarkup.Parse(version.Body), StatementMarkup.Acknowledgements(version.Acknowledgements), version.Status,
            version.PublishedAt, isCurrent);
}
