using System.Globalization;
using EserSecurity.Core.Audit;
using EserSecurity.Core.Changes;
using EserSecurity.Core.Coordinators;
using EserSecurity.Core.Data;
using EserSecurity.Core.Documents;
using EserSecurity.Core.Security;
using Microsoft.EntityFrameworkCore;

namespace EserSecurity.Core.LocalDuties;

/// <summary>
/// A school system's own duties that the deck asks for: a written security policy covering IEP security, a written
/// procedure to remove access, and annual local training of its coordinators and supervisors. District coordinators of
/// the school system and state administrators record them; everyone who sees the school system sees them and their flags.
/// </summary>
public sealed class LocalDutiesService(
    IDbContextFactory<EserSecurityDbContext> dbFactory, ScopeService scopes, IAccessChangeFeed changes, TimeProvider clock)
{
    /// <summary>
    /// Whether a change can alter the duties or flags that <paramref name="scope"/> sees: a local duties change, or an
    /// assignment change (who must be trained), in a school system the reader sees, or one that changes the reader's own scope.
    /// </summary>
    public static bool Concerns(AccessChange change, AccessScope? scope) => scope is not null
        && change.Kind is AccessChangeKind.LocalDutiesChanged or AccessChangeKind.AssignmentChanged
        && (change.SchoolSystemId is not int id || scope.IsStateAdministrator || scope.CanViewSchoolSystem(id)
            || ScopeService.ConcernsOwnScope(change, scope.StaffMemberId));

    /// <summary>
    /// Whether a change can alter <see cref="GetAsync"/> of school system <paramref name="schoolSystemId"/>: its own
    /// duties, or an assignment (who must be trained) there or statewide.
    /// </summary>
    public static bool ConcernsSchoolSystem(AccessChange change, int schoolSystemId) =>
        change.Kind is AccessChangeKind.LocalDutiesChanged or AccessChangeKind.AssignmentChanged
        && (change.SchoolSystemId is null || change.SchoolSystemId == schoolSystemId);

    /// <summary>One school system's duties, sessions, duty holders and flags.</summary>
    public async Task<LocalDutiesView> GetAsync(Caller caller, int schoolSystemId, CancellationToken ct = default)
    {
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var scope = await scopes.GetReadScopeAsync(db, caller.StaffMemberId, ct);
        scope.DemandViewSchoolSystem(schoolSystemId, "see this school system's local duties");
        var today = clock.Today();
        var system = await db.SchoolSystems.AsNoTracking().Where(s => s.Id == schoolSystemId)
            .Select(s => new { s.Id, s.Code, s.Name, s.SecurityPolicy }).SingleOrDefaultAsync(ct)
            ?? throw scope.Refuse("That school system does not exist.");
        var document = system.SecurityPolicy.PolicyDocumentId is int documentId
            ? await db.LocalPolicyDocuments.AsNoTracking().Where(d => d.Id == documentId)
                .Select(d => new PolicyDocumentInfo(d.Id, d.FileName, d.Content.Length, d.UploadedAt)).SingleAsync(ct)
            : null;
        var sessions = await db.LocalTrainingSessions.AsNoTracking().Where(s => s.SchoolSystemId == schoolSystemId)
            .OrderByDescending(s => s.HeldOn).ThenByDescending(s => s.Id)
            .Select(s => new TrainingSessionRow(s.Id, s.HeldOn, s.Topic,
                s.Attendees.OrderBy(a => a.StaffMember!.LastName).ThenBy(a => a.StaffMember!.FirstName)
                    .Select(a => a.StaffMember!.FirstName + " " + a.StaffMember.LastName).ToList()))
            .ToListAsync(ct);
        var mine = (await DutyHoldersAsync(db, [schoolSystemId], today, ct)).Select(h => h.Holder).ToList();
        var status = Status(schoolSystemId, system.Name, system.SecurityPolicy.WrittenPolicyAdoptedOn, system.SecurityPolicy.RemovalProcedureOn, mine, today);
        return new LocalDutiesView(system.Id, system.Code, system.Name, system.SecurityPolicy.WrittenPolicyAdoptedOn,
            system.SecurityPolicy.IncludesIepSecurity, document, system.SecurityPolicy.PolicyLink, system.SecurityPolicy.RemovalProcedureOn,
            sessions, mine, status, scope.CanAdministerSchoolSystem(schoolSystemId));
    }

    /// <summary>
    /// The duties status of every school system the caller sees (statewide for a state administrator), keyed by school
    /// system; read in three queries whatever the number of school systems.
    /// </summary>
    public async Task<IReadOnlyDictionary<int, LocalDutiesStatus>> GetStatusesAsync(Caller caller, CancellationToken ct = default)
    {
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var scope = await scopes.GetReadScopeAsync(db, caller.StaffMemberId, ct);
        var systems = db.SchoolSystems.AsNoTracking();
        if (!scope.IsStateAdministrator)
        {
            var visible = scope.DistrictSchoolSystemIds.Concat(scope.SupervisedSchoolSystemIds).Concat(scope.LocalSchoolSystemIds).Distinct().ToArray();
            systems = systems.Where(s => visible.Contains(s.Id));
        }
        return await StatusesAsync(db, systems, clock.Today(), ct);
    }

    /// <summary>The duties status of each of <paramref name="systems"/> on <paramref name="today"/>, in three queries.</summary>
    internal static async Task<Dictionary<int, LocalDutiesStatus>> StatusesAsync(
        EserSecurityDbContext db, IQueryable<SchoolSystems.SchoolSystem> systems, DateOnly today, CancellationToken ct)
    {
        var policies = await systems.Select(s => new { s.Id, s.Name, s.SecurityPolicy.WrittenPolicyAdoptedOn, s.SecurityPolicy.RemovalProcedureOn }).ToListAsync(ct);
        var ids = policies.Select(p => p.Id).ToList();
        var holders = (await DutyHoldersAsync(db, ids, today, ct)).ToLookup(h => h.SchoolSystemId, h => h.Holder);
        return policies.ToDictionary(p => p.Id,
            p => Status(p.Id, p.Name, p.WrittenPolicyAdoptedOn, p.RemovalProcedureOn, holders[p.Id].ToList(), today));
    }

    /// <summary>Records the written security policy: its adoption date, whether it covers IEP security, and its PDF or https link.</summary>
    public async Task RecordPolicyAsync(Caller caller, int schoolSystemId, LocalPolicyChange change, CancellationToken ct = default)
    {
        var today = clock.Today();
        var adoptedOn = change.AdoptedOn ?? throw new LocalDutiesRefusedException("Give the date the written policy was adopted.");
        RefuseFuture(adoptedOn, today, "The policy's adoption date");
        var link = NormalizeLink(change.Link);
        var upload = change.Document is null ? null : ValidatePdf(change.Document);
        if (link is not null && upload is not null)
        {
            throw new LocalDutiesRefusedException("Give either the policy PDF or its link, not both.");
        }

        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var scope = await scopes.GetScopeAsync(db, caller.StaffMemberId, ct);
        scope.DemandAdministerSchoolSystem(schoolSystemId, "record this school system's security policy");
        await using var transaction = await db.BeginWriteAsync(ct);
        var system = await db.SchoolSystems.SingleOrDefaultAsync(s => s.Id == schoolSystemId, ct)
            ?? throw scope.Refuse("That school system does not exist.");
        var policy = system.SecurityPolicy;
        var before = new { adoptedOn = policy.WrittenPolicyAdoptedOn, includesIepSecurity = policy.IncludesIepSecurity, documentId = policy.PolicyDocumentId, link = policy.PolicyLink };
        if (upload is null && link is null && policy.PolicyDocumentId is null && policy.PolicyLink is null)
        {
            throw new LocalDutiesRefusedException("Upload the written policy as a PDF or give the https link where it is published.");
        }
        var now = clock.GetUtcNow();
        if (upload is not null)
        {
            var document = new LocalPolicyDocument
            {
                SchoolSystemId = schoolSystemId, FileName = upload.FileName, Content = upload.Content, UploadedAt = now, UploadedById = caller.StaffMemberId,
            };
            db.LocalPolicyDocuments.Add(document);
            await db.SaveChangesAsync(ct);
            (policy.PolicyDocumentId, policy.PolicyLink) = (document.Id, null);
        }
        else if (link is not null)
        {
            (policy.PolicyDocumentId, policy.PolicyLink) = (null, link);
        }
        policy.WrittenPolicyAdoptedOn = adoptedOn;
        policy.IncludesIepSecurity = change.IncludesIepSecurity;
        await db.SaveChangesAsync(ct);
        await AuditLog.AppendAsync(db, caller, now, new AuditEntry("SchoolSystem.LocalPolicyRecorded", "SchoolSystem", Id(schoolSystemId), schoolSystemId,
            before, new { adoptedOn, includesIepSecurity = change.IncludesIepSecurity, documentId = policy.PolicyDocumentId, fileName = upload?.FileName, link = policy.PolicyLink }), ct);
        await transaction.CommitAsync(ct);
        Publish(schoolSystemId, caller, now);
    }

    /// <summary>Records the date of the school system's written procedure to remove access.</summary>
    public async Task RecordRemovalProcedureAsync(Caller caller, int schoolSystemId, DateOnly? procedureOn, CancellationToken ct = default)
    {
        var on = procedureOn ?? throw new LocalDutiesRefusedException("Give the date of the written procedure to remove access.");
        RefuseFuture(on, clock.Today(), "The procedure's date");
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var scope = await scopes.GetScopeAsync(db, caller.StaffMemberId, ct);
        scope.DemandAdministerSchoolSystem(schoolSystemId, "record this school system's procedure to remove access");
        await using var transaction = await db.BeginWriteAsync(ct);
        var system = await db.SchoolSystems.SingleOrDefaultAsync(s => s.Id == schoolSystemId, ct)
            ?? throw scope.Refuse("That school system does not exist.");
        var before = system.SecurityPolicy.RemovalProcedureOn;
        system.SecurityPolicy.RemovalProcedureOn = on;
        await db.SaveChangesAsync(ct);
        var now = clock.GetUtcNow();
        await AuditLog.AppendAsync(db, caller, now, new AuditEntry("SchoolSystem.RemovalProcedureRecorded", "SchoolSystem", Id(schoolSystemId), schoolSystemId,
            new { removalProcedureOn = before }, new { removalProcedureOn = on }), ct);
        await transaction.CommitAsync(ct);
        Publish(schoolSystemId, caller, now);
    }

    /// <summary>Records a local training session with its date, topic and attendees, all staff of the school system.</summary>
    public async Task<int> AddTrainingSessionAsync(
        Caller caller, int schoolSystemId, DateOnly? heldOn, string? topic, IReadOnlyCollection<int> attendeeIds, CancellationToken ct = default)
    {
        var on = heldOn ?? throw new LocalDutiesRefusedException("Give the date the training was held.");
        RefuseFuture(on, clock.Today(), "The training date");
        topic = topic?.Trim() ?? "";
        if (topic.Length is 0 or > LocalTrainingSession.TopicMaxLength)
        {
            throw new LocalDutiesRefusedException($"Name the training's topic in 1 to {LocalTrainingSession.TopicMaxLength} characters.");
        }
        if (TextRules.NameProblem(topic, "the topic") is { } unsafeTopic)
        {
            throw new LocalDutiesRefusedException(unsafeTopic);
        }
        var ids = attendeeIds.Distinct().ToList();
        if (ids.Count == 0)
        {
            throw new LocalDutiesRefusedException("Choose at least one attendee from the staff directory.");
        }
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var scope = await scopes.GetScopeAsync(db, caller.StaffMemberId, ct);
        scope.DemandAdministerSchoolSystem(schoolSystemId, "record this school system's local training");
        if (await db.StaffMembers.CountAsync(s => ids.Contains(s.Id) && s.SchoolSystemId == schoolSystemId, ct) != ids.Count)
        {
            throw new LocalDutiesRefusedException("Every attendee must be staff of this school system.");
        }
        await using var transaction = await db.BeginWriteAsync(ct);
        var now = clock.GetUtcNow();
        var session = new LocalTrainingSession { SchoolSystemId = schoolSystemId, HeldOn = on, Topic = topic, RecordedAt = now, RecordedById = caller.StaffMemberId };
        session.Attendees.AddRange(ids.Select(id => new LocalTrainingAttendee { StaffMemberId = id }));
        db.LocalTrainingSessions.Add(session);
        await db.SaveChangesAsync(ct);
        await AuditLog.AppendAsync(db, caller, now, new AuditEntry("LocalTraining.Recorded", nameof(LocalTrainingSession), Id(session.Id), schoolSystemId,
            null, new { heldOn = on, topic, attendeeIds = ids.Order().ToList() }), ct);
        await transaction.CommitAsync(ct);
        Publish(schoolSystemId, caller, now);
        return session.Id;
    }

    /// <summary>Staff of the school system matching a name or Staff ID, to record as attendees.</summary>
    public async Task<IReadOnlyList<AssignableStaff>> FindStaffAsync(Caller caller, int schoolSystemId, string? search, CancellationToken ct = default)
    {
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var scope = await scopes.GetScopeAsync(db, caller.StaffMemberId, ct);
        scope.DemandAdministerSchoolSystem(schoolSystemId, "record this school system's local training");
        return await CoordinatorService.FindActiveStaffAsync(db, schoolSystemId, search, ct);
    }

    /// <summary>The uploaded policy PDF, for download by anyone who sees the school system.</summary>
    public async Task<GeneratedDocument> GetPolicyDocumentAsync(Caller caller, int schoolSystemId, CancellationToken ct = default)
    {
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var scope = await scopes.GetScopeAsync(db, caller.StaffMemberId, ct);
        scope.DemandViewSchoolSystem(schoolSystemId, "get this school system's security policy");
        var document = await db.SchoolSystems.AsNoTracking().Where(s => s.Id == schoolSystemId && s.SecurityPolicy.PolicyDocumentId != null)
            .SelectMany(s => db.LocalPolicyDocuments.Where(d => d.Id == s.SecurityPolicy.PolicyDocumentId))
            .Select(d => new { d.FileName, d.Content }).SingleOrDefaultAsync(ct)
            ?? throw new LocalDutiesRefusedException("No policy PDF is uploaded for this school system.");
        return new GeneratedDocument(document.FileName, "application/pdf", document.Content);
    }

    private sealed record HolderRow(int SchoolSystemId, DutyHolder Holder);

    /// <summary>Active coordinators and supervisors of the school systems today, each with their last local training there.</summary>
    private static async Task<IReadOnlyList<HolderRow>> DutyHoldersAsync(EserSecurityDbContext db, IReadOnlyCollection<int> ids, DateOnly today, CancellationToken ct)
    {
        var coordinators = await db.CoordinatorAssignments.AsNoTracking().ActiveOn(today).Where(a => ids.Contains(a.SchoolSystemId))
            .Select(a => new { a.SchoolSystemId, a.StaffMemberId, a.StaffMember!.FirstName, a.StaffMember.LastName, District = a.Coverage == CoordinatorCoverage.SchoolSystem })
            .ToListAsync(ct);
        var supervisors = await db.SupervisorAssignments.AsNoTracking().ActiveOn(today).Where(a => ids.Contains(a.SchoolSystemId))
            .Select(a => new { a.SchoolSystemId, a.StaffMemberId, a.StaffMember!.FirstName, a.StaffMember.LastName })
            .ToListAsync(ct);
        var trained = (await db.LocalTrainingAttendees.AsNoTracking()
                .Join(db.LocalTrainingSessions.Where(s => ids.Contains(s.SchoolSystemId) && s.HeldOn <= today),
                    a => a.LocalTrainingSessionId, s => s.Id, (a, s) => new { s.SchoolSystemId, a.StaffMemberId, s.HeldOn })
                .GroupBy(x => new { x.SchoolSystemId, x.StaffMemberId })
                .Select(g => new { g.Key.SchoolSystemId, g.Key.StaffMemberId, Last = g.Max(x => x.HeldOn) })
                .ToListAsync(ct))
            .ToDictionary(x => (x.SchoolSystemId, x.StaffMemberId), x => x.Last);
        var people = coordinators.Select(c => (c.SchoolSystemId, c.StaffMemberId, Name: c.FirstName + " " + c.LastName, Duty: c.District ? "District coordinator" : "Local coordinator"))
            .Concat(supervisors.Select(s => (s.SchoolSystemId, s.StaffMemberId, Name: s.FirstName + " " + s.LastName, Duty: "Supervisor")))
            .GroupBy(p => (p.SchoolSystemId, p.StaffMemberId))
            .Select(g =>
            {
                DateOnly? last = trained.TryGetValue(g.Key, out var on) ? on : null;
                var holder = new DutyHolder(g.Key.StaffMemberId, g.First().Name, string.Join(", ", g.Select(p => p.Duty).Distinct()),
                    last, last is DateOnly day && LocalDutiesRules.TrainingCounts(day, today));
                return new HolderRow(g.Key.SchoolSystemId, holder);
            })
            .OrderBy(h => h.Holder.Name, StringComparer.InvariantCultureIgnoreCase)
            .ToList();
        return people;
    }

    private static LocalDutiesStatus Status(
        int schoolSystemId, string name, DateOnly? policyOn, DateOnly? procedureOn, IReadOnlyList<DutyHolder> holders, DateOnly today)
    {
        var untrained = holders.Where(h => !h.TrainedInLast12Months).Select(h => h.Name).ToList();
        return new LocalDutiesStatus(schoolSystemId, name, LocalDutiesRules.FlagsOn(today, policyOn, procedureOn, untrained.Count), untrained);
    }

    private static PolicyUpload ValidatePdf(PolicyUpload upload)
    {
        // Browsers may send a Windows path ("C:\fakepath\policy.pdf"): keep the last segment whatever the separator.
        // The name goes into the download's Content-Disposition header and onto the page, so what cannot be seen
        // (NUL, a line break, a text-direction override) is dropped, and "." or ".." names nothing.
        var name = TextRules.WithoutUnsafe((upload.FileName ?? "").Split('/', '\\').Last()).Trim();
        if (name is "." or "..")
        {
            name = "";
        }
        if (upload.Content.Length == 0)
        {
            throw new LocalDutiesRefusedException("The file is empty. Choose the policy PDF again.");
        }
        if (upload.Content.Length > LocalPolicyDocument.MaxBytes)
        {
            throw new LocalDutiesRefusedException(
                $"The file is {upload.Content.Length / 1024.0 / 1024.0:0.0} MB; the policy PDF may be at most {LocalPolicyDocument.MaxBytes / 1024 / 1024} MB.");
        }
        if (!upload.Content.AsSpan().StartsWith("%PDF-"u8))
        {
            throw new LocalDutiesRefusedException($"{(name.Length == 0 ? "The file" : name)} is not a PDF. Upload the policy as a PDF, or give its https link.");
        }
        if (name.Length == 0)
        {
            name = "security-policy.pdf";
        }
        if (name.Length > LocalPolicyDocument.FileNameMaxLength)
        {
            name = name[^LocalPolicyDocument.FileNameMaxLength..];
        }
        return upload with { FileName = name };
    }

    private static string? NormalizeLink(string? link)
    {
        link = string.IsNullOrWhiteSpace(link) ? null : link.Trim();
        if (link is null)
        {
            return null;
        }
        if (link.Length > LocalPolicyDocument.LinkMaxLength || !Uri.TryCreate(link, UriKind.Absolute, out var uri) || uri.Scheme != Uri.UriSchemeHttps
            || string.IsNullOrEmpty(uri.Host))
        {
            throw new LocalDutiesRefusedException($"Give the policy's link as a full https address (https://…), at most {LocalPolicyDocument.LinkMaxLength} characters.");
        }
        return uri.AbsoluteUri;
    }

    private static void RefuseFuture(DateOnly on, DateOnly today, string what)
    {
        if (on > today)
        {
            throw new LocalDutiesRefusedException($"{what} cannot be in the future.");
        }
    }

    private void Publish(int schoolSystemId, Caller caller, DateTimeOffset at) =>
        changes.Publish(new AccessChange(AccessChangeKind.LocalDutiesChanged, schoolSystemId, null, null, caller.StaffMemberId, at));

    private static string Id(int id) => id.ToString(CultureInfo.InvariantCulture);
}
