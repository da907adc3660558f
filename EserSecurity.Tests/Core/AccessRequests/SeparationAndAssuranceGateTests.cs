using System.Text;
using EserSecurity.Core.AccessRequests;
using EserSecurity.Core.Assurance;
using EserSecurity.Core.Coordinators;
using EserSecurity.Core.Documents;
using EserSecurity.Core.Readiness;
using EserSecurity.Core.Security;
using EserSecurity.Core.Staff;
using EserSecurity.Tests.Support;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;

namespace EserSecurity.Tests.Core.AccessRequests;

/// <summary>
/// Two people for IEP Forms, the assurance gate on IEP Forms approvals, and what every approval re-checks about the
/// requester and the role.
/// </summary>
public sealed class SeparationAndAssuranceGateTests
{
    private static Caller As(StaffMember person) => TestState.CallerFor(person);

    /// <summary>Makes the supervisor of A also a district coordinator of A, as an exception would allow, straight in the database.</summary>
    private static async Task MakeSupervisorAlsoDistrictCoordinatorAsync(TestDatabase database, TestState state)
    {
        await using var db = await database.OpenAsync();
        db.CoordinatorAssignments.Add(new CoordinatorAssignment
        {
            StaffMemberId = state.SupervisorA.Id, SchoolSystemId = state.LeaA.Id, Coverage = CoordinatorCoverage.SchoolSystem, StartsOn = new DateOnly(2026, 1, 1),
        });
        await db.SaveChangesAsync();
        database.Get<ScopeService>().Forget();
    }

    [Fact]
    public async Task Endorse_ByTheSupervisorWhoApprovedIt_IsRefused_AndAnotherPersonsApprovalCanBeEndorsed()
    {
        await using var database = await TestDatabase.CreateAsync();
        var state = await TestState.CreateAsync(database);
        await MakeSupervisorAlsoDistrictCoordinatorAsync(database, state);
        await TestState.SignThisYearAsync(database, state.UserA1, state.UserA3);
        var service = database.Get<AccessRequestService>();
        var own = await service.SubmitAsync(As(state.UserA1), new NewAccessRequest(state.IepRole.Id, state.A1.Id, "I write IEPs."));
        var other = await service.SubmitAsync(As(state.UserA3), new NewAccessRequest(state.IepRole.Id, state.A3.Id, "I write IEPs."));
        await service.DecideAsync(As(state.SupervisorA), own, Decision.Approve, null);
        await service.DecideAsync(As(state.DistrictA), other, Decision.Approve, null);

        var refused = await Assert.ThrowsAsync<AccessRequestRefusedException>(() => service.EndorseAsync(As(state.SupervisorA), own, Decision.Approve, null));
        var endorsed = await service.EndorseAsync(As(state.SupervisorA), other, Decision.Approve, null);

        Assert.Contains("two different people", refused.Message);
        Assert.Equal(AccessRequestStatus.Approved, endorsed.Status);
        await using var db = await database.OpenAsync();
        Assert.Equal(AccessRequestStatus.PendingSupervisor, (await db.AccessRequests.SingleAsync(r => r.Id == own)).Status);
        Assert.Equal([other], await db.AccessGrants.Select(g => g.AccessRequestId!.Value).ToListAsync());
    }

    [Fact]
    public async Task Endorse_ByTheSupervisorWhoMigratedIt_IsRefused()
    {
        await using var database = await TestDatabase.CreateAsync();
        var state = await TestState.CreateAsync(database);
        await TestState.SignThisYearAsync(database, state.UserA3);
        int requestId;
        await using (var db = await database.OpenAsync())
        {
            var request = AccessRequestService.OpenMigratedRequest(state.UserA3.Id, state.IepRole, state.LeaA.Id, state.A3.Id, state.SupervisorA.Id,
                "Held IEP Forms in TAS.", database.Clock.GetUtcNow());
            db.AccessRequests.Add(request);
            await db.SaveChangesAsync();
            requestId = request.Id;
        }

        var refused = await Assert.ThrowsAsync<AccessRequestRefusedException>(() =>
            database.Get<AccessRequestService>().EndorseAsync(As(state.SupervisorA), requestId, Decision.Approve, null));

        Assert.Contains("migrated it from TAS", refused.Message);
    }

    [Fact]
    public async Task DistrictCoordinatorAndSupervisorOfOneSchoolSystem_AreRefused_UntilAnExceptionIsRecorded_WhichTheTreeShows()
    {
        await using var database = await TestDatabase.CreateAsync();
        var state = await TestState.CreateAsync(database);
        var coordinators = database.Get<CoordinatorService>();
        var admin = As(state.StateAdmin);
        using var recorder = new ChangeRecorder(database.Get<EserSecurity.Core.Changes.IAccessChangeFeed>());

        var asCoordinator = await Assert.ThrowsAsync<CoordinatorRefusedException>(() => coordinators.AssignDistrictCoordinatorAsync(admin, state.LeaA.Id, state.SupervisorA.Id));
        var asSupervisor = await Assert.ThrowsAsync<CoordinatorRefusedException>(() => coordinators.AssignSupervisorAsync(admin, state.LeaA.Id, state.DistrictA.Id));
        Assert.Contains("cannot be both district coordinator and supervisor", asCoordinator.Message);
        Assert.Contains("exception", asSupervisor.Message);

        var exceptionId = await coordinators.RecordSeparationExceptionAsync(admin, state.LeaA.Id, state.SupervisorA.Id, "Small school system: one special education office.");
        await coordinators.AssignDistrictCoordinatorAsync(admin, state.LeaA.Id, state.SupervisorA.Id);

        var node = (await coordinators.GetSchoolSystemsAsync(admin)).Single(n => n.Id == state.LeaA.Id);
        var shown = Assert.Single(node.SeparationExceptions!);
        Assert.Equal((state.SupervisorA.Id, "Small school system: one special education office.", state.StateAdmin.FullName),
            (shown.StaffMemberId, shown.Reason, shown.RecordedBy));
        Assert.Contains(node.DistrictCoordinators, p => p.StaffMemberId == state.SupervisorA.Id);
        await recorder.WaitForAsync(c => c.Kind == EserSecurity.Core.Changes.AccessChangeKind.SeparationExceptionChanged && c.SchoolSystemId == state.LeaA.Id);
        await using var db = await database.OpenAsync();
        Assert.Contains("SeparationException.Recorded", await db.AuditEvents.Select(e => e.Action).ToListAsync());

        var ending = await Assert.ThrowsAsync<CoordinatorRefusedException>(() => coordinators.EndSeparationExceptionAsync(admin, exceptionId, "No longer needed."));
        Assert.Contains("End one of the two assignments first", ending.Message);
    }

    [Fact]
    public async Task SeparationException_EndsOnceThePersonHoldsOneRole_AndLeavesTheTree()
    {
        await using var database = await TestDatabase.CreateAsync();
        var state = await TestState.CreateAsync(database);
        var coordinators = database.Get<CoordinatorService>();
        var admin = As(state.StateAdmin);
        var exceptionId = await coordinators.RecordSeparationExceptionAsync(admin, state.LeaA.Id, state.SupervisorA.Id, "Interim cover.");

        await coordinators.EndSeparationExceptionAsync(admin, exceptionId, "Cover ended.");

        var node = (await coordinators.GetSchoolSystemsAsync(admin)).Single(n => n.Id == state.LeaA.Id);
        Assert.Empty(node.SeparationExceptions!);
        await Assert.ThrowsAsync<CoordinatorRefusedException>(() => coordinators.AssignDistrictCoordinatorAsync(admin, state.LeaA.Id, state.SupervisorA.Id));
    }

    [Fact]
    public async Task SeparationException_WithoutAReason_IsRefused()
    {
        await using var database = await TestDatabase.CreateAsync();
        var state = await TestState.CreateAsync(database);

        var refused = await Assert.ThrowsAsync<CoordinatorRefusedException>(() =>
            database.Get<CoordinatorService>().RecordSeparationExceptionAsync(As(state.StateAdmin), state.LeaA.Id, state.SupervisorA.Id, "  "));

        Assert.Contains("reason", refused.Message);
    }

    [Fact]
    public async Task ApproveIepForms_WhileUnsigned_IsRefusedNamingTheStatement_DenyStillWorks_AndAfterSigningItPasses()
    {
        await using var database = await TestDatabase.CreateAsync();
        var state = await TestState.CreateAsync(database);
        var service = database.Get<AccessRequestService>();
        var id = await service.SubmitAsync(As(state.UserA1), new NewAccessRequest(state.IepRole.Id, state.A1.Id, "I write IEPs."));
        var schoolRole = await service.SubmitAsync(As(state.UserA1), new NewAccessRequest(state.SchoolRole.Id, state.A1.Id, "I enter data."));

        var refused = await Assert.ThrowsAsync<AccessRequestRefusedException>(() => service.DecideAsync(As(state.DistrictA), id, Decision.Approve, null));
        Assert.Contains("has not signed the 2026–27 confidentiality assurance", refused.Message);
        Assert.Equal(state.UserA1.StaffId, refused.UnsignedAssuranceStaffId);
        Assert.True((await service.DecideAsync(As(state.DistrictA), schoolRole, Decision.Approve, null)).Succeeded);

        await TestState.SignThisYearAsync(database, state.UserA1);
        var approved = await service.DecideAsync(As(state.DistrictA), id, Decision.Approve, null);

        Assert.Equal(AccessRequestStatus.PendingSupervisor, approved.Status);
    }

    [Fact]
    public async Task EndorseIepForms_WhileUnsigned_IsRefused_AndAfterSigningGrants()
    {
        await using var database = await TestDatabase.CreateAsync();
        var state = await TestState.CreateAsync(database);
        var service = database.Get<AccessRequestService>();
        var request = await TestState.AddPendingRequestAsync(database, state.UserA3, state.IepRole, state.LeaA, state.A3,
            database.Clock.GetUtcNow().AddDays(-2), AccessRequestStatus.PendingSupervisor);
        var denyable = await TestState.AddPendingRequestAsync(database, state.UserA1, state.IepRole, state.LeaA, state.A1,
            database.Clock.GetUtcNow().AddDays(-2), AccessRequestStatus.PendingSupervisor);

        var refused = await Assert.ThrowsAsync<AccessRequestRefusedException>(() => service.EndorseAsync(As(state.SupervisorA), request.Id, Decision.Approve, null));
        Assert.Equal(state.UserA3.StaffId, refused.UnsignedAssuranceStaffId);
        Assert.True((await service.EndorseAsync(As(state.SupervisorA), denyable.Id, Decision.Deny, "Not at this school.")).Succeeded);

        await TestState.SignThisYearAsync(database, state.UserA3);
        var endorsed = await service.EndorseAsync(As(state.SupervisorA), request.Id, Decision.Approve, null);

        Assert.Equal(AccessRequestStatus.Approved, endorsed.Status);
    }

    public enum Change { EmploymentEnded, MovedToAnotherSchoolSystem, RoleRetired }

    [Theory]
    [InlineData(Change.EmploymentEnded, "no longer active staff")]
    [InlineData(Change.MovedToAnotherSchoolSystem, "no longer staff of this school system")]
    [InlineData(Change.RoleRetired, "has been retired")]
    public async Task Approve_And_Endorse_RecheckTheRequesterAndTheRole(Change change, string expected)
    {
        await using var database = await TestDatabase.CreateAsync();
        var state = await TestState.CreateAsync(database);
        await TestState.SignThisYearAsync(database, state.UserA1);
        var service = database.Get<AccessRequestService>();
        var pending = await service.SubmitAsync(As(state.UserA1), new NewAccessRequest(state.SchoolRole.Id, state.A1.Id, "I enter data."));
        var iep = await service.SubmitAsync(As(state.UserA1), new NewAccessRequest(state.IepRole.Id, state.A1.Id, "I write IEPs."));
        await service.DecideAsync(As(state.DistrictA), iep, Decision.Approve, null);
        await using (var db = await database.OpenAsync())
        {
            var person = await db.StaffMembers.SingleAsync(s => s.Id == state.UserA1.Id);
            switch (change)
            {
                case Change.EmploymentEnded:
                    person.EmploymentStatus = EmploymentStatus.Ended;
                    break;
                case Change.MovedToAnotherSchoolSystem:
                    person.SchoolSystemId = state.LeaB.Id;
                    break;
                default:
                    await db.EserRoles.Where(r => r.Id == state.SchoolRole.Id || r.Id == state.IepRole.Id).ExecuteUpdateAsync(s => s.SetProperty(r => r.IsRetired, true));
                    break;
            }
            await db.SaveChangesAsync();
        }

        var approve = await Assert.ThrowsAsync<AccessRequestRefusedException>(() => service.DecideAsync(As(state.DistrictA), pending, Decision.Approve, null));
        var endorse = await Assert.ThrowsAsync<AccessRequestRefusedException>(() => service.EndorseAsync(As(state.SupervisorA), iep, Decision.Approve, null));

        Assert.Contains(expected, approve.Message);
        Assert.Contains(expected, endorse.Message);
        Assert.True((await service.DecideAsync(As(state.DistrictA), pending, Decision.Deny, "Left.")).Succeeded);
        await using var after = await database.OpenAsync();
        Assert.Equal(0, await after.AccessGrants.CountAsync());
    }

    [Theory]
    [InlineData("2026-07-20", false, true, UnsignedIepFormsHandling.Suspend, IepFormsStanding.InForce)]
    [InlineData("2026-07-31", false, true, UnsignedIepFormsHandling.Suspend, IepFormsStanding.Suspended)]
    [InlineData("2026-07-31", false, true, UnsignedIepFormsHandling.Flag, IepFormsStanding.Flagged)]
    [InlineData("2026-11-28", true, true, UnsignedIepFormsHandling.Suspend, IepFormsStanding.InForce)]
    [InlineData("2026-11-28", false, false, UnsignedIepFormsHandling.Suspend, IepFormsStanding.InForce)]
    public void IepFormsStanding_IsInForceDuringGrace_ThenFlaggedOrSuspendedAsConfigured(
        string today, bool signed, bool iepForms, UnsignedIepFormsHandling handling, IepFormsStanding expected)
    {
        Assert.Equal(expected, AssuranceRules.IepFormsStandingOn(DateOnly.Parse(today), iepForms, signed, AssuranceRules.DefaultGraceDays, handling));
    }

    [Theory]
    [InlineData(UnsignedIepFormsHandling.Suspend, "Suspended", IepFormsStanding.Suspended)]
    [InlineData(UnsignedIepFormsHandling.Flag, "Yes, unsigned", IepFormsStanding.Flagged)]
    public async Task AfterGrace_UnsignedIepFormsGrants_AreMarkedOnTheAuthorizedUserListAndTheReadinessBoard(
        UnsignedIepFormsHandling handling, string cell, IepFormsStanding marking)
    {
        await using var database = await TestDatabase.CreateAsync();
        var state = await TestState.CreateAsync(database);
        await TestState.SignThisYearAsync(database, state.UserA1);
        await using (var db = await database.OpenAsync())
        {
            foreach (var person in new[] { state.UserA1, state.UserA3 })
            {
                db.AccessGrants.Add(new EserSecurity.Core.Grants.AccessGrant
                {
                    StaffMemberId = person.Id, EserRoleId = state.IepRole.Id, SchoolSystemId = state.LeaA.Id, SchoolId = person == state.UserA1 ? state.A1.Id : state.A3.Id,
                    GrantedAt = database.Clock.GetUtcNow().AddDays(-60),
                });
            }
            await db.SaveChangesAsync();
        }
        var options = Options.Create(new AssuranceOptions { UnsignedIepForms = handling });
        var documents = new DocumentService(database.Factory, database.Get<ScopeService>(), database.Clock, null, options);
        var readiness = new ReadinessService(database.Factory, database.Get<ScopeService>(), database.Clock, options);

        var csv = Encoding.UTF8.GetString((await documents.AuthorizedUserListCsvAsync(As(state.DistrictA), state.LeaA.Id)).Content).Split("\r\n");
        var board = await readiness.GetBoardAsync(As(state.StateAdmin));

        Assert.EndsWith(",Yes", csv.Single(l => l.StartsWith("alpha1,", StringComparison.Ordinal)));
        Assert.EndsWith("," + (cell.Contains(',') ? $"\"{cell}\"" : cell), csv.Single(l => l.StartsWith("alpha3,", StringComparison.Ordinal)));
        Assert.Equal(marking, board.UnsignedIepFormsMarking);
        Assert.Equal(1, board.SchoolSystems.Single(s => s.SchoolSystemId == state.LeaA.Id).UnsignedIepForms);
    }
}
