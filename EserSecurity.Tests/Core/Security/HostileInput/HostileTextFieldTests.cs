using System.Globalization;
using EserSecurity.Core.AccessRequests;
using EserSecurity.Core.Administration;
using EserSecurity.Core.Assurance;
using EserSecurity.Core.Coordinators;
using EserSecurity.Core.Directories;
using EserSecurity.Core.Employment;
using EserSecurity.Core.Grants;
using EserSecurity.Core.Identity;
using EserSecurity.Core.KeyDates;
using EserSecurity.Core.LocalDuties;
using EserSecurity.Core.Reviews;
using EserSecurity.Core.Roles;
using EserSecurity.Tests.Core.Reviews;
using EserSecurity.Tests.Support;
using Microsoft.EntityFrameworkCore;

namespace EserSecurity.Tests.Core.Security.HostileInput;

/// <summary>
/// Every free-text field a person types and Core stores, fed a value over its limit and values with an invisible control
/// or text-direction character (NUL, ESC, RIGHT-TO-LEFT OVERRIDE): Core refuses each with a message for the person and
/// writes nothing, not a row and not an audit event. Reasons and notes are prose, so tabs and line breaks pass.
/// </summary>
public sealed class HostileTextFieldTests
{
    /// <summary>A field: its limit, whether it is prose, and how to get ready to type into it (setup may write) and then type.</summary>
    private sealed record TextField(int MaxLength, bool Prose, Func<TestDatabase, TestState, Task<Func<string, Task>>> Prepare);

    private static readonly DateOnly Today = DateOnly.FromDateTime(TestDatabase.DefaultNow.UtcDateTime);

    private static readonly Dictionary<string, TextField> Fields = new()
    {
        ["end grant: reason"] = new(AccessGrant.EndNoteMaxLength, true, async (db, s) =>
        {
            var grant = await GrantSetup.AddAsync(db, s.UserA1, s.SchoolRole, s.LeaA, s.A1);
            return v => db.Get<GrantService>().EndAsync(TestState.CallerFor(s.DistrictA), grant.Id, v);
        }),
        ["end employment: note"] = new(StaffDirectoryChange.ValueMaxLength, true, (db, s) =>
            Ready(v => db.Get<EmploymentService>().EndEmploymentAsync(TestState.CallerFor(s.DistrictA), s.UserA1.Id, Today, v))),
        ["refuse link request: reason"] = new(LinkRequest.RefusalReasonMaxLength, true, async (db, s) =>
        {
            var request = await LinkSetup.FileAsync(db, "oid-hostile", s.LeaA, s.UserA1.StaffId);
            return v => db.Get<LinkRequestService>().RefuseAsync(TestState.CallerFor(s.DistrictA), request, v);
        }),
        ["access review: end reason"] = new(AccessReviewItem.NoteMaxLength, true, async (db, s) =>
        {
            var review = await ReviewSetup.OpenForAAsync(db, s);
            return v => db.Get<AccessReviewService>().DecideAsync(TestState.CallerFor(s.DistrictA), review.ItemA1, ReviewDecision.End, v);
        }),
        ["request access: justification"] = new(AccessRequest.JustificationMaxLength, true, (db, s) =>
            Ready(v => db.Get<AccessRequestService>().SubmitAsync(TestState.CallerFor(s.UserA1), new NewAccessRequest(s.SchoolRole.Id, s.A1.Id, v)))),
        ["deny request: reason"] = new(AccessRequest.ReasonMaxLength, true, async (db, s) =>
        {
            var request = await TestState.AddPendingRequestAsync(db, s.UserA1, s.SchoolRole, s.LeaA, s.A1, db.Clock.GetUtcNow().AddDays(-1));
            return v => db.Get<AccessRequestService>().DecideAsync(TestState.CallerFor(s.DistrictA), request.Id, Decision.Deny, v);
        }),
        ["separation exception: reason"] = new(SeparationException.ReasonMaxLength, true, (db, s) =>
            Ready(v => db.Get<CoordinatorService>().RecordSeparationExceptionAsync(TestState.CallerFor(s.StateAdmin), s.LeaA.Id, s.DistrictA.Id, v))),
        ["end coordinator assignment: reason"] = new(AssignmentPeriods.EndReasonMaxLength, true, async (db, s) =>
        {
            var assignment = await AssignmentOfAsync(db, s.LocalA);
            return v => db.Get<CoordinatorService>().EndCoordinatorAsync(TestState.CallerFor(s.DistrictA), assignment, v);
        }),
        ["end state administrator: reason"] = new(AssignmentPeriods.EndReasonMaxLength, true, async (db, s) =>
        {
            var second = await db.Get<StateAdministratorService>().AddAsync(TestState.CallerFor(s.StateAdmin), s.DistrictB.Id);
            return v => db.Get<StateAdministratorService>().EndAsync(TestState.CallerFor(s.StateAdmin), second, v);
        }),
        ["key date: notes"] = new(KeyDate.NotesMaxLength, true, (db, s) =>
            Ready(v => db.Get<KeyDateService>().CreateAsync(TestState.CallerFor(s.StateAdmin), new KeyDateEdit(KeyDateKind.Other, "Data review", Today.AddDays(10), Notes: v)))),
        ["role: description"] = new(EserRole.DescriptionMaxLength, true, (db, s) =>
            Ready(v => db.Get<RoleCatalogService>().CreateRoleAsync(TestState.CallerFor(s.StateAdmin), new EserRoleEdit("NEW_ROLE", "New role", v, ["Read"], false, RoleLevel.School)))),
        ["assurance statement: text"] = new(StatementVersion.BodyMaxLength, true, (db, s) =>
            Ready(v => db.Get<StatementService>().CreateDraftAsync(TestState.CallerFor(s.StateAdmin), new SchoolYear(2026), new StatementContent("Statement", v, "I agree.")))),
        ["school group: name"] = new(SchoolGroup.NameMaxLength, false, (db, s) =>
            Ready(v => db.Get<CoordinatorService>().CreateGroupAsync(TestState.CallerFor(s.DistrictA), s.LeaA.Id, v, [s.A2.Id]))),
        ["role: name"] = new(EserRole.NameMaxLength, false, (db, s) =>
            Ready(v => db.Get<RoleCatalogService>().CreateRoleAsync(TestState.CallerFor(s.StateAdmin), new EserRoleEdit("NEW_ROLE", v, "Does things.", ["Read"], false, RoleLevel.School)))),
        ["key date: title"] = new(KeyDate.TitleMaxLength, false, (db, s) =>
            Ready(v => db.Get<KeyDateService>().CreateAsync(TestState.CallerFor(s.StateAdmin), new KeyDateEdit(KeyDateKind.Other, v, Today.AddDays(10))))),
        ["assurance statement: title"] = new(StatementVersion.TitleMaxLength, false, (db, s) =>
            Ready(v => db.Get<StatementService>().CreateDraftAsync(TestState.CallerFor(s.StateAdmin), new SchoolYear(2026), new StatementContent(v, "Text.", "I agree.")))),
        ["assurance statement: acknowledgement"] = new(StatementVersion.AcknowledgementMaxLength, false, (db, s) =>
            Ready(v => db.Get<StatementService>().CreateDraftAsync(TestState.CallerFor(s.StateAdmin), new SchoolYear(2026), new StatementContent("Statement", "Text.", v)))),
        ["local training: topic"] = new(LocalTrainingSession.TopicMaxLength, false, (db, s) =>
            Ready(v => db.Get<LocalDutiesService>().AddTrainingSessionAsync(TestState.CallerFor(s.DistrictA), s.LeaA.Id, Today.AddDays(-1), v, [s.UserA1.Id]))),
    };

    /// <summary>The hostile values, by name: over the limit is built from the field's limit.</summary>
    private static readonly Dictionary<string, Func<TextField, string>> HostileValues = new()
    {
        ["over the limit"] = f => new string('x', f.MaxLength + 1),
        ["NUL (U+0000)"] = _ => "Left the district\u0000 in June",
        ["ESC (U+001B)"] = _ => "Left the district \u001B[2J in June",
        ["RIGHT-TO-LEFT OVERRIDE (U+202E)"] = _ => "Left the district \u202Eenuj ni",
    };

    public static TheoryData<string, string> Cases()
    {
        var cases = new TheoryData<string, string>();
        foreach (var field in Fields.Keys)
        {
            foreach (var value in HostileValues.Keys)
            {
                cases.Add(field, value);
            }
        }
        return cases;
    }

    public static TheoryData<string> ProseFields() => [.. Fields.Where(f => f.Value.Prose).Select(f => f.Key)];

    [Theory]
    [MemberData(nameof(Cases))]
    public async Task HostileValue_IsRefusedWithAMessage_AndNothingIsWritten(string field, string hostile)
    {
        await using var database = await TestDatabase.CreateAsync();
        var state = await TestState.CreateAsync(database);
        var type = await Fields[field].Prepare(database, state);
        var value = HostileValues[hostile](Fields[field]);
        var before = await DatabaseSnapshot.TakeAsync(database);

        var refusal = await Assert.ThrowsAnyAsync<Exception>(() => type(value));

        Assert.EndsWith("RefusedException", refusal.GetType().Name);
        Assert.Contains(hostile == "over the limit"
            ? new[] { Fields[field].MaxLength.ToString(CultureInfo.InvariantCulture), Fields[field].MaxLength.ToString("N0", CultureInfo.InvariantCulture) }
            : new[] { hostile[(hostile.IndexOf('(', StringComparison.Ordinal))..] },
            expected => refusal.Message.Contains(expected, StringComparison.Ordinal));
        await DatabaseSnapshot.AssertUnchangedAsync(database, before);
    }

    [Theory]
    [MemberData(nameof(ProseFields))]
    public async Task Prose_WithTabsAndLineBreaks_IsKept(string field)
    {
        await using var database = await TestDatabase.CreateAsync();
        var state = await TestState.CreateAsync(database);
        var type = await Fields[field].Prepare(database, state);
        var before = await DatabaseSnapshot.TakeAsync(database);

        await type("Moved to another district.\r\n\tSee the HR letter of June 3.");

        Assert.True((await DatabaseSnapshot.TakeAsync(database)).AuditEvents > before.AuditEvents);
    }

    private static Task<Func<string, Task>> Ready(Func<string, Task> type) => Task.FromResult(type);

    private static async Task<int> AssignmentOfAsync(TestDatabase database, EserSecurity.Core.Staff.StaffMember person)
    {
        await using var db = await database.OpenAsync();
        return await db.CoordinatorAssignments.Where(a => a.StaffMemberId == person.Id).Select(a => a.Id).SingleAsync();
    }
}
