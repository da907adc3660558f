using System.Globalization;
using System.Text;
using System.Text.Json;
using EserSecurity.Core.AccessRequests;
using EserSecurity.Core.Assurance;
using EserSecurity.Core.Coordinators;
using EserSecurity.Core.Data;
using EserSecurity.Core.Grants;
using EserSecurity.Core.Reviews;
using EserSecurity.Core.Staff;
using Microsoft.EntityFrameworkCore;

namespace EserSecurity.Core.Audit;

/// <summary>The person a history is about, as their staff record stands.</summary>
internal sealed record PersonHistoryPerson(
    int Id, string StaffId, string Name, string Email, int? SchoolSystemId, string SchoolSystem, IReadOnlyList<string> Schools,
    string Position, EmploymentStatus EmploymentStatus, DateOnly? EmploymentEndedOn);

/// <summary>A whole history: the person and every line, section by section; how many are audit events and how many archived.</summary>
internal sealed record PersonHistorySheet(PersonHistoryPerson Person, IReadOnlyList<PersonHistoryRow> Rows, int EventCount, int ArchivedCount);

/// <summary>Reads the records of a person's history from the live tables, one section at a time, each in time order.</summary>
internal static class PersonHistoryRecords
{
    public static Task<PersonHistoryPerson?> LoadPersonAsync(EserSecurityDbContext db, int staffMemberId, CancellationToken ct) =>
        db.StaffMembers.AsNoTracking().Where(s => s.Id == staffMemberId)
            .Select(s => new PersonHistoryPerson(
                s.Id, s.StaffId, s.FirstName + " " + s.LastName, s.Email, s.SchoolSystemId,
                s.SchoolSystem != null ? s.SchoolSystem.Code + " · " + s.SchoolSystem.Name : AssuranceService.StateAgencyName,
                s.Schools.OrderBy(x => x.School!.SiteCode).Select(x => x.School!.SiteCode + " · " + x.School.Name).ToList(),
                s.Position, s.EmploymentStatus, s.EmploymentEndedOn))
            .SingleOrDefaultAsync(ct);

    public static async Task<IReadOnlyList<PersonHistoryRow>> LoadAsync(EserSecurityDbContext db, PersonHistoryPerson person, CancellationToken ct)
    {
        var rows = new List<PersonHistoryRow>();
        rows.AddRange(StaffRecord(person));
        var names = new Names(db);
        rows.AddRange(await RequestsAsync(db, person.Id, ct));
        rows.AddRange(await GrantsAsync(db, person.Id, names, ct));
        rows.AddRange(await AssignmentsAsync(db, person.Id, names, ct));
        rows.AddRange(await SignaturesAsync(db, person, ct));
        rows.AddRange(await SignOnAsync(db, person, names, ct));
        rows.AddRange(await ReviewItemsAsync(db, person.Id, names, ct));
        return rows;
    }

    private static PersonHistoryRow Line(string section, string when, string who, string what, string details, string schoolSystem, string record) =>
        new(section, PersonHistory.LiveSource, when, who, what, details, schoolSystem, record);

    private static IEnumerable<PersonHistoryRow> StaffRecord(PersonHistoryPerson p)
    {
        var record = $"StaffMember {p.Id.ToString(CultureInfo.InvariantCulture)}";
        (string Field, string Value)[] facts =
        [
            ("Staff ID", p.StaffId), ("Name", p.Name), ("E-mail", p.Email), ("School system", p.SchoolSystem),
            ("Schools", p.Schools.Count == 0 ? "None" : string.Join("; ", p.Schools)), ("Position", p.Position),
            ("Employment status", p.EmploymentStatus + (p.EmploymentEndedOn is { } day
                ? (p.EmploymentStatus == EmploymentStatus.Ended ? " since " : ", ends on ") + PersonHistoryText.Day(day) : "")),
        ];
        return facts.Select(f => Line("Staff record", "", "", f.Field, f.Value, "", record));
    }

    private static async Task<IEnumerable<PersonHistoryRow>> RequestsAsync(EserSecurityDbContext db, int person, CancellationToken ct)
    {
        var requests = await db.AccessRequests.AsNoTracking().Where(r => r.RequesterId == person)
            .Select(r => new
            {
                r.Id, Role = r.EserRole!.Name, Where = r.School != null ? r.School.Name : r.SchoolSystem!.Name, r.SchoolSystem!.Code, r.Justification,
                Steps = r.Steps.Select(s => new
                {
                    s.Id, s.Action, s.At, s.Reason,
                    Actor = s.Actor != null ? s.Actor.FirstName + " " + s.Actor.LastName : null,
                    OnBehalfOf = s.OnBehalfOf != null ? s.OnBehalfOf.FirstName + " " + s.OnBehalfOf.LastName : null,
                }).ToList(),
            })
            .ToListAsync(ct);
        return requests.SelectMany(r => r.Steps.Select(s => (r, s)))
            .OrderBy(x => x.s.At).ThenBy(x => x.s.Id)
            .Select(x => Line("Access requests", PersonHistoryText.Time(x.s.At),
                (x.s.Actor ?? AuditLog.SystemActorName) + (x.s.OnBehalfOf is { } absent ? $", deputy for {absent}" : ""),
                $"Request {x.r.Id.ToString(CultureInfo.InvariantCulture)} · {x.r.Role} at {x.r.Where}: {Step(x.s.Action)}",
                x.s.Action is AccessRequestAction.Submitted or AccessRequestAction.MigratedFromTas
                    ? $"Why: {x.r.Justification}" + (x.s.Reason is { } note ? $"\n{note}" : "")
                    : x.s.Reason ?? "",
                x.r.Code, $"AccessRequest {x.r.Id.ToString(CultureInfo.InvariantCulture)}"));
    }

    private static string Step(AccessRequestAction action) => action switch
    {
        AccessRequestAction.Submitted => "submitted",
        AccessRequestAction.CoordinatorApproved => "approved by the coordinator",
        AccessRequestAction.CoordinatorDenied => "denied by the coordinator",
        AccessRequestAction.SupervisorEndorsed => "endorsed by the supervisor",
        AccessRequestAction.SupervisorDenied => "denied by the supervisor",
        AccessRequestAction.Withdrawn => "withdrawn",
        AccessRequestAction.Cancelled => "cancelled",
        AccessRequestAction.MigratedFromTas => "opened in the TAS migration",
        _ => action.ToString(),
    };

    private static async Task<IEnumerable<PersonHistoryRow>> GrantsAsync(EserSecurityDbContext db, int person, Names names, CancellationToken ct)
    {
        var grants = await db.AccessGrants.AsNoTracking().Where(g => g.StaffMemberId == person)
            .Select(g => new
            {
                g.Id, Role = g.EserRole!.Name, Where = g.School != null ? g.School.Name : g.SchoolSystem!.Name, g.SchoolSystem!.Code,
                g.Origin, g.GrantedAt, g.GrantedById, g.EndsOn, g.EndedAt, g.EndedById, g.EndReason, g.EndNote,
            })
            .ToListAsync(ct);
        await names.LoadAsync(grants.SelectMany(g => new[] { g.GrantedById, g.EndedById }), ct);
        return grants.OrderBy(g => g.GrantedAt).ThenBy(g => g.Id).Select(g => Line("Grants", PersonHistoryText.Time(g.GrantedAt),
            g.GrantedById is int by ? names[by] : g.Origin == GrantOrigin.TasMigration ? "TAS migration" : AuditLog.SystemActorName,
            $"{g.Role} at {g.Where}",
            $"Origin: {(g.Origin == GrantOrigin.TasMigration ? "TAS migration" : "access request")}; "
            + $"started {PersonHistoryText.Time(g.GrantedAt)}; "
            + (g.EndsOn is { } last ? $"runs to {PersonHistoryText.Day(last)}" : "no end date set")
            + (g.EndedAt is { } ended
                ? $"\nEnded {PersonHistoryText.Time(ended)} by {(g.EndedById is int e ? names[e] : AuditLog.SystemActorName)}: {GrantEndReasons.Describe(g.EndReason ?? GrantEndReason.Manual)}{(g.EndNote is { } n ? $" ({n})" : "")}"
                : "\nActive"),
            g.Code, $"AccessGrant {g.Id.ToString(CultureInfo.InvariantCulture)}"));
    }

    private static async Task<IEnumerable<PersonHistoryRow>> AssignmentsAsync(EserSecurityDbContext db, int person, Names names, CancellationToken ct)
    {
        const string section = "Assignments and deputyships";
        var coordinators = await db.CoordinatorAssignments.AsNoTracking().Where(a => a.StaffMemberId == person)
            .Select(a => new
            {
                a.Id, a.Coverage, a.SchoolSystem!.Code, School = a.School != null ? a.School.Name : null,
                Group = a.SchoolGroup != null ? a.SchoolGroup.Name : null, a.StartsOn, a.EndsOn, a.EndedAt, a.EndedById, a.EndReason,
            })
            .ToListAsync(ct);
        var supervisors = await db.SupervisorAssignments.AsNoTracking().Where(a => a.StaffMemberId == person)
            .Select(a => new { a.Id, a.SchoolSystem!.Code, a.StartsOn, a.EndsOn, a.EndedAt, a.EndedById, a.EndReason })
            .ToListAsync(ct);
        var administrators = await db.StateAdministrators.AsNoTracking().Where(a => a.StaffMemberId == person)
            .Select(a => new { a.Id, a.StartsOn, a.EndsOn, a.AddedAt, a.AddedById, a.EndedAt, a.EndedById, a.EndReason })
            .ToListAsync(ct);
        var deputyships = await db.Deputyships.AsNoTracking().Where(d => d.AbsentId == person || d.DeputyId == person)
            .Select(d => new
            {
                d.Id, d.AbsentId, Absent = d.Absent!.FirstName + " " + d.Absent.LastName, Deputy = d.Deputy!.FirstName + " " + d.Deputy.LastName,
                d.SchoolSystem!.Code, d.StartsOn, d.EndsOn, d.Note, d.NamedById, d.NamedAt, d.ApprovedAt, d.ApprovedById, d.CancelledAt, d.CancelledById,
            })
            .ToListAsync(ct);
        await names.LoadAsync(coordinators.Select(a => a.EndedById).Concat(supervisors.Select(a => a.EndedById))
            .Concat(administrators.SelectMany(a => new[] { a.AddedById, a.EndedById }))
            .Concat(deputyships.SelectMany(d => new[] { d.NamedById, d.ApprovedById, d.CancelledById })), ct);

        string Period(DateOnly starts, DateOnly? ends, DateTimeOffset? endedAt, int? endedBy, string? reason) =>
            $"From {PersonHistoryText.Day(starts)} to {(ends is { } e ? PersonHistoryText.Day(e) : "no end date")}"
            + (endedAt is { } at ? $"\nEnded {PersonHistoryText.Time(at)} by {(endedBy is int by ? names[by] : AuditLog.SystemActorName)}{(reason is null ? "" : ": " + reason)}" : "");

        var rows = new List<(DateOnly Day, PersonHistoryRow Row)>();
        rows.AddRange(coordinators.Select(a => (a.StartsOn, Line(section, PersonHistoryText.Day(a.StartsOn), "",
            a.Coverage switch
            {
                CoordinatorCoverage.SchoolSystem => $"District security coordinator of {a.Code}",
                CoordinatorCoverage.School => $"Local security coordinator at {a.School}",
                _ => $"Local security coordinator of the group {a.Group}",
            },
            Period(a.StartsOn, a.EndsOn, a.EndedAt, a.EndedById, a.EndReason), a.Code, $"CoordinatorAssignment {a.Id.ToString(CultureInfo.InvariantCulture)}"))));
        rows.AddRange(supervisors.Select(a => (a.StartsOn, Line(section, PersonHistoryText.Day(a.StartsOn), "",
            $"Special education supervisor of {a.Code}", Period(a.StartsOn, a.EndsOn, a.EndedAt, a.EndedById, a.EndReason), a.Code,
            $"SupervisorAssignment {a.Id.ToString(CultureInfo.InvariantCulture)}"))));
        rows.AddRange(administrators.Select(a => (a.StartsOn, Line(section, PersonHistoryText.Day(a.StartsOn),
            a.AddedById is int by ? names[by] : AuditLog.SystemActorName, "State administrator",
            Period(a.StartsOn, a.EndsOn, a.EndedAt, a.EndedById, a.EndReason), "", $"StateAdministratorAssignment {a.Id.ToString(CultureInfo.InvariantCulture)}"))));
        rows.AddRange(deputyships.Select(d => (d.StartsOn, Line(section, PersonHistoryText.Day(d.StartsOn), names[d.NamedById],
            d.AbsentId == person ? $"Away; {d.Deputy} deputises in {d.Code}" : $"Deputy for {d.Absent} in {d.Code}",
            $"From {PersonHistoryText.Day(d.StartsOn)} to {(d.EndsOn is { } e ? PersonHistoryText.Day(e) : "no end date")}; named {PersonHistoryText.Time(d.NamedAt)}"
            + (d.ApprovedAt is { } approved ? $"; approved {PersonHistoryText.Time(approved)} by {(d.ApprovedById is int a ? names[a] : AuditLog.SystemActorName)}" : "; not approved")
            + (d.CancelledAt is { } cancelled ? $"; cancelled {PersonHistoryText.Time(cancelled)} by {(d.CancelledById is int c ? names[c] : AuditLog.SystemActorName)}" : "")
            + (d.Note is { } note ? $"\nNote: {note}" : ""),
            d.Code, $"Deputyship {d.Id.ToString(CultureInfo.InvariantCulture)}"))));
        return rows.OrderBy(r => r.Day).Select(r => r.Row);
    }

    private static async Task<IEnumerable<PersonHistoryRow>> SignaturesAsync(EserSecurityDbContext db, PersonHistoryPerson person, CancellationToken ct)
    {
        var signatures = await db.AssuranceSignatures.AsNoTracking().Where(s => s.StaffMemberId == person.Id)
            .Select(s => new { s.Id, s.SchoolYear, s.SignedAt, s.TypedName, s.StatementVersion!.VersionNumber, s.VerificationCode })
            .ToListAsync(ct);
        return signatures.OrderBy(s => s.SignedAt).Select(s => Line("Assurance signatures", PersonHistoryText.Time(s.SignedAt), person.Name,
            $"Signed the {new SchoolYear(s.SchoolYear).Label} assurance statement",
            $"School year {new SchoolYear(s.SchoolYear).Label}; statement version {s.VersionNumber.ToString(CultureInfo.InvariantCulture)}; "
            + $"typed name \"{s.TypedName}\"; verification code {s.VerificationCode}",
            "", $"AssuranceSignature {s.Id.ToString(CultureInfo.InvariantCulture)}"));
    }

    private static async Task<IEnumerable<PersonHistoryRow>> SignOnAsync(EserSecurityDbContext db, PersonHistoryPerson person, Names names, CancellationToken ct)
    {
        var links = await db.SignOnIdentities.AsNoTracking().Where(i => i.StaffMemberId == person.Id)
            .Select(i => new { i.Id, i.Issuer, i.Subject, i.LinkedAt, i.LinkedById, i.LinkedHow })
            .ToListAsync(ct);
        var requests = await db.LinkRequests.AsNoTracking().Where(r => r.ClaimedStaffId == person.StaffId)
            .Select(r => new { r.Id, r.Issuer, r.Subject, r.DisplayName, r.SchoolSystem!.Code, r.FiledAt, r.State, r.DecidedById, r.DecidedAt, r.RefusalReason })
            .ToListAsync(ct);
        await names.LoadAsync(links.Select(l => l.LinkedById).Concat(requests.Select(r => r.DecidedById)), ct);
        var rows = links.Select(l => (l.LinkedAt, Line("Sign-on links", PersonHistoryText.Time(l.LinkedAt),
                l.LinkedById is int by ? names[by] : AuditLog.SystemActorName, $"Sign-on account linked ({l.LinkedHow})",
                $"Issuer {l.Issuer}; account {l.Subject}", "", $"SignOnIdentity {l.Id.ToString(CultureInfo.InvariantCulture)}")))
            .Concat(requests.Select(r => (r.FiledAt, Line("Sign-on links", PersonHistoryText.Time(r.FiledAt), r.DisplayName ?? "",
                $"Link request ({r.State})",
                $"Issuer {r.Issuer}; account {r.Subject}"
                + (r.DecidedAt is { } at ? $"\nDecided {PersonHistoryText.Time(at)} by {(r.DecidedById is int by ? names[by] : AuditLog.SystemActorName)}" : "")
                + (r.RefusalReason is { } why ? $": {why}" : ""),
                r.Code, $"LinkRequest {r.Id.ToString(CultureInfo.InvariantCulture)}"))));
        return rows.OrderBy(r => r.Item1).Select(r => r.Item2);
    }

    private static async Task<IEnumerable<PersonHistoryRow>> ReviewItemsAsync(EserSecurityDbContext db, int person, Names names, CancellationToken ct)
    {
        var items = await db.AccessReviewItems.AsNoTracking().Where(i => i.AccessGrant!.StaffMemberId == person)
            .Select(i => new
            {
                i.Id, i.AccessGrantId, Role = i.AccessGrant!.EserRole!.Name, Review = db.AccessReviews.Where(r => r.Id == i.AccessReviewId)
                    .Select(r => new { r.Id, r.Kind, r.StartedAt, r.SchoolSystem!.Code }).Single(),
                i.Decision, i.DecidedById, i.DecidedAt, i.Note, i.NeedsSupervisor, i.SupervisorDecision, i.SupervisorDecidedById,
                i.SupervisorDecidedAt, i.SupervisorNote, i.DefaultedAt,
            })
            .ToListAsync(ct);
        await names.LoadAsync(items.SelectMany(i => new[] { i.DecidedById, i.SupervisorDecidedById }), ct);
        string Decision(AccessReviewDecision decision, int? by, DateTimeOffset? at, string? note) =>
            decision == AccessReviewDecision.Undecided ? "undecided"
            : $"{(decision == AccessReviewDecision.Revoke ? "end" : "keep")}, {(by is int b ? names[b] : "due-date default")}"
              + (at is { } when ? $" {PersonHistoryText.Time(when)}" : "") + (note is null ? "" : $": {note}");
        return items.OrderBy(i => i.Review.StartedAt).ThenBy(i => i.Id).Select(i => Line("Review items", PersonHistoryText.Time(i.Review.StartedAt), "",
            $"{(i.Review.Kind == AccessReviewKind.Semiannual ? "Semiannual" : "Annual")} review {i.Review.Id.ToString(CultureInfo.InvariantCulture)} of grant {i.AccessGrantId.ToString(CultureInfo.InvariantCulture)} ({i.Role})",
            $"Decision: {Decision(i.Decision, i.DecidedById, i.DecidedAt, i.Note)}"
            + (i.NeedsSupervisor ? $"\nSupervisor: {Decision(i.SupervisorDecision, i.SupervisorDecidedById, i.SupervisorDecidedAt, i.SupervisorNote)}" : "")
            + (i.DefaultedAt is { } d ? $"\nFlagged at the due date {PersonHistoryText.Time(d)}" : ""),
            i.Review.Code, $"AccessReviewItem {i.Id.ToString(CultureInfo.InvariantCulture)}"));
    }

    /// <summary>Names of the staff records the lines mention, read once per batch of ids.</summary>
    private sealed class Names(EserSecurityDbContext db)
    {
        private readonly Dictionary<int, string> _names = [];

        public string this[int id] => _names.GetValueOrDefault(id, $"staff record {id.ToString(CultureInfo.InvariantCulture)}");

        public async Task LoadAsync(IEnumerable<int?> ids, CancellationToken ct)
        {
            var wanted = ids.OfType<int>().Where(id => !_names.ContainsKey(id)).Distinct().ToList();
            if (wanted.Count > 0)
            {
                foreach (var person in await db.StaffMembers.AsNoTracking().Where(s => wanted.Contains(s.Id))
                    .Select(s => new { s.Id, Name = s.FirstName + " " + s.LastName }).ToListAsync(ct))
                {
                    _names[person.Id] = person.Name;
                }
            }
        }
    }
}

/// <summary>How a history writes times and an audit event's change.</summary>
internal static class PersonHistoryText
{
    public static string Time(DateTimeOffset at) => at.UtcDateTime.ToString("yyyy-MM-dd HH:mm", CultureInfo.InvariantCulture);

    public static string Day(DateOnly day) => day.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);

    /// <summary>
    /// An event's before and after JSON in a short readable form: for two objects, each field that changed as
    /// "Field: before → after"; for one, its fields as "Field: value", one a line. JSON that is not an object stays as
    /// it is.
    /// </summary>
    public static string Change(string? before, string? after)
    {
        var old = Parse(before);
        var now = Parse(after);
        if ((before is not null && old is null) || (after is not null && now is null))
        {
            return string.Join(" → ", new[] { before, after }.OfType<string>());
        }
        var text = new StringBuilder();
        if (old is not null && now is not null)
        {
            foreach (var key in now.Keys.Concat(old.Keys.Where(k => !now.ContainsKey(k))))
            {
                var was = old.TryGetValue(key, out var b) ? Value(b) : "none";
                var becomes = now.TryGetValue(key, out var a) ? Value(a) : "none";
                if (was != becomes)
                {
                    Append(text, $"{key}: {was} → {becomes}");
                }
            }
            return text.Length == 0 ? "No field changed" : text.ToString();
        }
        foreach (var (key, value) in now ?? old ?? [])
        {
            Append(text, $"{key}: {Value(value)}");
        }
        return now is null && old is not null ? "Before: " + text : text.ToString();
    }

    private static void Append(StringBuilder text, string line) => text.Append(text.Length == 0 ? "" : "\n").Append(line);

    private static Dictionary<string, JsonElement>? Parse(string? json)
    {
        if (json is null)
        {
            return null;
        }
        try
        {
            using var document = JsonDocument.Parse(json);
            if (document.RootElement.ValueKind != JsonValueKind.Object)
            {
                return null;
            }
            var fields = new Dictionary<string, JsonElement>();
            foreach (var field in document.RootElement.EnumerateObject())
            {
                fields[field.Name] = field.Value.Clone();
            }
            return fields;
        }
        catch (JsonException)
        {
            return null;
        }
    }

    private static string Value(JsonElement value) => value.ValueKind switch
    {
        JsonValueKind.String => value.GetString() ?? "",
        JsonValueKind.Null or JsonValueKind.Undefined => "none",
        JsonValueKind.True => "yes",
        JsonValueKind.False => "no",
        _ => value.GetRawText(),
    };
}
