using EserSecurity.Core.AccessRequests;
using EserSecurity.Core.Administration;
using EserSecurity.Core.Assurance;
using EserSecurity.Core.Audit;
using EserSecurity.Core.Coordinators;
using EserSecurity.Core.Data;
using EserSecurity.Core.Directories;
using EserSecurity.Core.Documents;
using EserSecurity.Core.Employment;
using EserSecurity.Core.Grants;
using EserSecurity.Core.Identity;
using EserSecurity.Core.KeyDates;
using EserSecurity.Core.LegacyMigration;
using EserSecurity.Core.LocalDuties;
using EserSecurity.Core.Readiness;
using EserSecurity.Core.Retention;
using EserSecurity.Core.Reviews;
using EserSecurity.Core.Roles;
using EserSecurity.Core.SchoolSystems;
using EserSecurity.Core.Security;
using EserSecurity.Core.Staff;
using EserSecurity.Tests.Support;
using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;

namespace EserSecurity.Tests.Core.Security;

/// <summary>
/// Every Core operation that takes an id, called as a crafted circuit call would: with an id of school system B (or, for
/// statewide records, an existing one only state administrators may touch) and with an id that does not exist. For
/// everyone but the state administrator the two must be refused alike (no existence oracle), and for everyone a
/// nonexistent id must end in a refusal written for the user; nothing is written either way.
/// </summary>
public sealed class IdReachTests
{
    public enum Role { StateAdmin, DistrictA, LocalA, SupervisorA, UserA1 }

    private const int Missing = 987_654;

    /// <summary>An operation on one id: how to find school system B's (or the statewide) id, and the call.</summary>
    private sealed record Operation(Func<Reach, Task<int>> IdOfB, Func<Reach, int, Task> Call);

    private sealed record Reach(TestDatabase Database, TestState State, Caller Caller)
    {
        public T Get<T>() where T : notnull => Database.Get<T>();

        public Caller Admin => TestState.CallerFor(State.StateAdmin);

        public async Task<int> ScalarAsync(Func<EserSecurity.Core.Data.EserSecurityDbContext, Task<int>> read)
        {
            await using var db = await Database.OpenAsync();
            return await read(db);
        }

        public async Task<int> AddAsync<T>(T entity, Func<T, int> id) where T : class
        {
            await using var db = await Database.OpenAsync();
            db.Add(entity);
            await db.SaveChangesAsync();
            return id(entity);
        }

        public async Task<int> RequestOfBAsync(EserRole role, AccessRequestStatus status) =>
            (await TestState.AddPendingRequestAsync(Database, State.UserB1, role, State.LeaB, State.B1, Database.Clock.GetUtcNow().AddDays(-1), status)).Id;

        public async Task<int> ReviewOfBAsync()
        {
            await GrantSetup.AddAsync(Database, State.UserB1, State.IepRole, State.LeaB, State.B1);
            await Get<AccessReviewService>().OpenAsync(Admin, new OpenReviewPeriod([State.LeaB.Id], new DateOnly(2027, 1, 15)));
            return await ScalarAsync(db => db.AccessReviews.Where(r => r.SchoolSystemId == State.LeaB.Id).Select(r => r.Id).SingleAsync());
        }

        public async Task<int> ReviewItemOfBAsync()
        {
            var review = await ReviewOfBAsync();
            return await ScalarAsync(db => db.AccessReviewItems.Where(i => i.AccessReviewId == review).Select(i => i.Id).SingleAsync());
        }

        /// <summary>UserB1 moves from B1 to a second school of B in the state administrator's staff import, leaving a change-of-duties item.</summary>
        public async Task<int> ChangeOfDutiesItemOfBAsync()
        {
            await AddAsync(new School { SiteCode = "202002", Name = "Bravo Middle", SchoolSystemId = State.LeaB.Id }, s => s.Id);
            var grant = await GrantSetup.AddAsync(Database, State.UserB1, State.SchoolRole, State.LeaB, State.B1);
            await Get<StaffDirectoryImportService>().CommitAsync(Admin, DirectoryCsv.Staff().Person(State.UserB1, "202", "202002").ToStream());
            return await ScalarAsync(db => db.ChangeOfDutiesItems.Where(i => i.AccessGrantId == grant.Id).Select(i => i.Id).SingleAsync());
        }

        public async Task<string> StaffIdOfAsync(int staffMemberId)
        {
            await using var db = await Database.OpenAsync();
            return staffMemberId == Missing ? "98765432" : await db.StaffMembers.Where(s => s.Id == staffMemberId).Select(s => s.StaffId).SingleAsync();
        }
    }

    private static readonly DateOnly Today = DateOnly.FromDateTime(TestDatabase.DefaultNow.UtcDateTime);

    /// <summary>
    /// Searches within a school system or of one person's linked accounts: for a state administrator an unknown id
    /// answers nothing found, as a search with no match does; for everyone else it answers as another school system's id.
    /// </summary>
    private static readonly HashSet<string> SearchesAnswerNothingFound = ["FindAssignableStaff", "FindTrainingStaff", "LinkedAccountsOfPerson", "SchoolSystemChildren"];

    private static readonly StatementContent Statement = new("Confidentiality Assurance Statement", "I keep students' records confidential.", "I access records only for my duties.");

    private static readonly KeyDateEdit KeyDate = new(KeyDateKind.GoLive, "Go-live", new DateOnly(2027, 1, 4));

    private static readonly Dictionary<string, Operation> Operations = new()
    {
        // People
        ["StaffProfile"] = new(r => Task.FromResult(r.State.UserB1.Id), (r, id) => r.Get<StaffDirectory>().GetProfileAsync(r.Caller, id)),
        ["DirectoryRecord"] = new(r => Task.FromResult(r.State.UserB1.Id), (r, id) => r.Get<DirectoryRecords>().GetPersonAsync(r.Caller, id)),
        ["DirectoryRecordByStaffId"] = new(r => Task.FromResult(r.State.UserB1.Id),
            async (r, id) => await r.Get<PersonRecordByStaffId>().GetPersonAsync(r.Caller, await r.StaffIdOfAsync(id))),
        ["PersonAccess"] = new(r => Task.FromResult(r.State.UserB1.Id), (r, id) => r.Get<GrantService>().GetPersonAccessAsync(r.Caller, id)),
        ["ArchivedPersonHistory"] = new(r => Task.FromResult(r.State.UserB1.Id), (r, id) => r.Get<RetentionArchive>().ReadForPersonAsync(r.Caller, id)),
        ["EndEmployment"] = new(r => Task.FromResult(r.State.UserB1.Id), (r, id) => r.Get<EmploymentService>().EndEmploymentAsync(r.Caller, id, Today)),
        ["CancelScheduledEnd"] = new(async r =>
            {
                await r.Get<EmploymentService>().EndEmploymentAsync(r.Admin, r.State.UserB1.Id, Today.AddDays(7));
                return r.State.UserB1.Id;
            }, (r, id) => r.Get<EmploymentService>().CancelScheduledEndAsync(r.Caller, id)),
        ["LinkedAccountsOfPerson"] = new(r => Task.FromResult(r.State.UserB1.Id), (r, id) => r.Get<LinkRequestService>().GetLinkedAccountsOfAsync(r.Caller, id)),
        ["AddStateAdministrator"] = new(r => Task.FromResult(r.State.UserB1.Id), (r, id) => r.Get<StateAdministratorService>().AddAsync(r.Caller, id)),
        ["EndStateAdministrator"] = new(r => r.Get<StateAdministratorService>().AddAsync(r.Admin, r.State.UserB1.Id),
            (r, id) => r.Get<StateAdministratorService>().EndAsync(r.Caller, id, "No longer needed.")),

        // Grants, requests
        ["EndGrant"] = new(async r => (await GrantSetup.AddAsync(r.Database, r.State.UserB1, r.State.SchoolRole, r.State.LeaB, r.State.B1)).Id,
            (r, id) => r.Get<GrantService>().EndAsync(r.Caller, id, "Duties changed.")),
        ["WithdrawRequest"] = new(r => r.RequestOfBAsync(r.State.SchoolRole, AccessRequestStatus.PendingCoordinator),
            (r, id) => r.Get<AccessRequestService>().WithdrawAsync(r.Caller, id)),
        ["DecideRequest"] = new(r => r.RequestOfBAsync(r.State.SchoolRole, AccessRequestStatus.PendingCoordinator),
            (r, id) => r.Get<AccessRequestService>().DecideAsync(r.Caller, id, Decision.Deny, "Not needed.")),
        ["EndorseRequest"] = new(r => r.RequestOfBAsync(r.State.IepRole, AccessRequestStatus.PendingSupervisor),
            (r, id) => r.Get<AccessRequestService>().EndorseAsync(r.Caller, id, Decision.Deny, "Not needed.")),
        ["BulkApproveRequest"] = new(r => r.RequestOfBAsync(r.State.SchoolRole, AccessRequestStatus.PendingCoordinator),
            async (r, id) => RefusedIfNotSucceeded((await r.Get<AccessRequestService>().BulkApproveAsync(r.Caller, [id])).Outcomes.Single())),
        ["RequestDetail"] = new(r => r.RequestOfBAsync(r.State.SchoolRole, AccessRequestStatus.PendingCoordinator),
            (r, id) => r.Get<ApprovalQueue>().GetDetailAsync(r.Caller, id)),
        ["SubmitRequestAtSchool"] = new(r => Task.FromResult(r.State.B1.Id),
            (r, id) => r.Get<AccessRequestService>().SubmitAsync(r.Caller, new NewAccessRequest(r.State.SchoolRole.Id, id, "My duties need it."))),

        ["DecideChangeOfDuties"] = new(r => r.ChangeOfDutiesItemOfBAsync(), async (r, id) =>
        {
            var outcome = await r.Get<ChangeOfDutiesService>().DecideAsync(r.Caller, id, ChangeOfDutiesDecision.End);
            if (!outcome.Done)
            {
                throw new RefusedOutcomeException(outcome.Message);
            }
        }),
        ["MigrateTasAccessOfPerson"] = new(async r =>
            {
                var tas = await LegacyAccessState.CreateAsync(r.Database, r.State);
                await LegacyAccessState.AddAsync(r.Database, r.State.UserB1, r.State.LeaA, r.State.A1, tas.DataEntry);
                return r.State.UserB1.Id;
            }, async (r, id) =>
            {
                var outcome = (await r.Get<LegacyMigrationService>().MigrateAsync(r.Caller, r.State.LeaA.Id, [new MigrationItem(id, r.State.SchoolRole.Id, r.State.A1.Id)]))
                    .Outcomes.Single();
                if (outcome.Result == MigrationResult.NotMigrated)
                {
                    throw new RefusedOutcomeException(outcome.Message);
                }
            }),

        // Sign-on links
        ["ConfirmLinkRequest"] = new(r => LinkSetup.FileAsync(r.Database, "user.b1", r.State.LeaB, r.State.UserB1.StaffId),
            (r, id) => r.Get<LinkRequestService>().ConfirmAsync(r.Caller, id)),
        ["RefuseLinkRequest"] = new(r => LinkSetup.FileAsync(r.Database, "user.b1", r.State.LeaB, null),
            (r, id) => r.Get<LinkRequestService>().RefuseAsync(r.Caller, id, "Not in our directory.")),
        ["Unlink"] = new(r => LinkSetup.LinkedIdentityAsync(r.Database, r.State.UserB1), (r, id) => r.Get<LinkRequestService>().UnlinkAsync(r.Caller, id)),

        // Coordinators, groups, exceptions
        ["SchoolSystemChildren"] = new(r => Task.FromResult(r.State.LeaB.Id), (r, id) => r.Get<CoordinatorService>().GetChildrenAsync(r.Caller, id)),
        ["FindAssignableStaff"] = new(r => Task.FromResult(r.State.LeaB.Id), (r, id) => r.Get<CoordinatorService>().FindAssignableStaffAsync(r.Caller, id, "user")),
        ["AssignDistrictCoordinatorInSchoolSystem"] = new(r => Task.FromResult(r.State.LeaB.Id),
            (r, id) => r.Get<CoordinatorService>().AssignDistrictCoordinatorAsync(r.Caller, id, r.State.UserB1.Id)),
        ["AssignDistrictCoordinatorOfAPerson"] = new(r => Task.FromResult(r.State.UserB1.Id),
            (r, id) => r.Get<CoordinatorService>().AssignDistrictCoordinatorAsync(r.Caller, r.State.LeaA.Id, id)),
        ["AssignLocalCoordinatorAtSchool"] = new(r => Task.FromResult(r.State.B1.Id),
            (r, id) => r.Get<CoordinatorService>().AssignLocalCoordinatorAsync(r.Caller, r.State.LeaA.Id, r.State.UserA3.Id, new LocalCoverage(id, null))),
        ["AssignSupervisorInSchoolSystem"] = new(r => Task.FromResult(r.State.LeaB.Id),
            (r, id) => r.Get<CoordinatorService>().AssignSupervisorAsync(r.Caller, id, r.State.UserB1.Id)),
        ["EndCoordinator"] = new(r => r.ScalarAsync(db => db.CoordinatorAssignments.Where(a => a.StaffMemberId == r.State.DistrictB.Id).Select(a => a.Id).SingleAsync()),
            (r, id) => r.Get<CoordinatorService>().EndCoordinatorAsync(r.Caller, id, "Left.")),
        ["EndSupervisor"] = new(r => r.AddAsync(new SupervisorAssignment { StaffMemberId = r.State.UserB1.Id, SchoolSystemId = r.State.LeaB.Id, StartsOn = new DateOnly(2026, 1, 1) }, a => a.Id),
            (r, id) => r.Get<CoordinatorService>().EndSupervisorAsync(r.Caller, id, "Left.")),
        ["CreateGroupInSchoolSystem"] = new(r => Task.FromResult(r.State.LeaB.Id),
            (r, id) => r.Get<CoordinatorService>().CreateGroupAsync(r.Caller, id, "North", [r.State.B1.Id])),
        ["CreateGroupWithSchool"] = new(r => Task.FromResult(r.State.B1.Id),
            (r, id) => r.Get<CoordinatorService>().CreateGroupAsync(r.Caller, r.State.LeaA.Id, "North", [r.State.A1.Id, id])),
        ["UpdateGroup"] = new(async r =>
            {
                var group = new SchoolGroup { SchoolSystemId = r.State.LeaB.Id, Name = "Bravo North" };
                group.Members.Add(new SchoolGroupMember { SchoolId = r.State.B1.Id });
                return await r.AddAsync(group, g => g.Id);
            }, (r, id) => r.Get<CoordinatorService>().UpdateGroupAsync(r.Caller, id, "Renamed", [r.State.B1.Id])),
        ["RecordSeparationException"] = new(r => Task.FromResult(r.State.LeaB.Id),
            (r, id) => r.Get<CoordinatorService>().RecordSeparationExceptionAsync(r.Caller, id, r.State.DistrictB.Id, "Small office.")),
        ["EndSeparationException"] = new(r => r.Get<CoordinatorService>().RecordSeparationExceptionAsync(r.Admin, r.State.LeaB.Id, r.State.DistrictB.Id, "Small office."),
            (r, id) => r.Get<CoordinatorService>().EndSeparationExceptionAsync(r.Caller, id, "Cover ended.")),

        // School systems and local duties
        ["UpdateSecurityPolicy"] = new(r => Task.FromResult(r.State.LeaB.Id),
            (r, id) => r.Get<SchoolSystemService>().UpdateSecurityPolicyAsync(r.Caller, id, 0, new SecurityPolicyChange(Today, true, Today))),
        ["LocalDuties"] = new(r => Task.FromResult(r.State.LeaB.Id), (r, id) => r.Get<LocalDutiesService>().GetAsync(r.Caller, id)),
        ["RecordLocalPolicy"] = new(r => Task.FromResult(r.State.LeaB.Id),
            (r, id) => r.Get<LocalDutiesService>().RecordPolicyAsync(r.Caller, id, new LocalPolicyChange(Today, true, new PolicyUpload("policy.pdf", "%PDF-1.7\n%%EOF\n"u8.ToArray())))),
        ["RecordRemovalProcedure"] = new(r => Task.FromResult(r.State.LeaB.Id), (r, id) => r.Get<LocalDutiesService>().RecordRemovalProcedureAsync(r.Caller, id, Today)),
        ["AddTrainingSession"] = new(r => Task.FromResult(r.State.LeaB.Id),
            (r, id) => r.Get<LocalDutiesService>().AddTrainingSessionAsync(r.Caller, id, Today, "IEP security", [r.State.UserB1.Id])),
        ["AddTrainingSessionAttendee"] = new(r => Task.FromResult(r.State.UserB1.Id),
            (r, id) => r.Get<LocalDutiesService>().AddTrainingSessionAsync(r.Caller, r.State.LeaA.Id, Today, "IEP security", [id])),
        ["FindTrainingStaff"] = new(r => Task.FromResult(r.State.LeaB.Id), (r, id) => r.Get<LocalDutiesService>().FindStaffAsync(r.Caller, id, "user")),
        ["LocalPolicyDocument"] = new(async r =>
            {
                await r.Get<LocalDutiesService>().RecordPolicyAsync(r.Admin, r.State.LeaB.Id,
                    new LocalPolicyChange(Today, true, new PolicyUpload("policy.pdf", "%PDF-1.7\n%%EOF\n"u8.ToArray())));
                return r.State.LeaB.Id;
            }, (r, id) => r.Get<LocalDutiesService>().GetPolicyDocumentAsync(r.Caller, id)),

        // Reviews
        ["SetReviewCadence"] = new(r => Task.FromResult(r.State.LeaB.Id), (r, id) => r.Get<AccessReviewService>().SetCadenceAsync(r.Caller, id, AccessReviewKind.Semiannual)),
        ["OpenReview"] = new(r => Task.FromResult(r.State.LeaB.Id),
            (r, id) => r.Get<AccessReviewService>().OpenAsync(r.Caller, new OpenReviewPeriod([id], new DateOnly(2027, 1, 15)))),
        ["Review"] = new(r => r.ReviewOfBAsync(), (r, id) => r.Get<AccessReviewService>().GetReviewAsync(r.Caller, id)),
        ["ReviewItems"] = new(r => r.ReviewOfBAsync(),
            (r, id) => r.Get<AccessReviewService>().ReadItemsAsync(r.Caller, id, new ReviewItemQuery(false, null, null, false, 0, 50))),
        ["ReviewReportPdf"] = new(r => r.ReviewOfBAsync(), (r, id) => r.Get<AccessReviewService>().ReportPdfAsync(r.Caller, id)),
        ["ReviewReportCsv"] = new(r => r.ReviewOfBAsync(), (r, id) => r.Get<AccessReviewService>().ReportCsvAsync(r.Caller, id)),
        ["DecideReviewItem"] = new(r => r.ReviewItemOfBAsync(),
            async (r, id) => RefusedIfNotSucceeded(await r.Get<AccessReviewService>().DecideAsync(r.Caller, id, ReviewDecision.End, "Left."))),
        ["SupervisorDecideReviewItem"] = new(r => r.ReviewItemOfBAsync(),
            async (r, id) => RefusedIfNotSucceeded(await r.Get<AccessReviewService>().DecideAsSupervisorAsync(r.Caller, id, ReviewDecision.End, "Left."))),
        ["SignOffReview"] = new(r => r.ReviewOfBAsync(), (r, id) => r.Get<AccessReviewService>().SignOffAsync(r.Caller, id, r.Caller.DisplayName, 1)),

        // Readiness, assurance status, migration
        ["SchoolSystemReadiness"] = new(r => Task.FromResult(r.State.LeaB.Id), (r, id) => r.Get<ReadinessService>().GetSchoolSystemAsync(r.Caller, id)),
        ["NotReadyPeople"] = new(r => Task.FromResult(r.State.LeaB.Id), (r, id) => r.Get<ReadinessService>().GetNotReadyAsync(r.Caller, new NotReadyQuery(id))),
        ["NotReadyPeopleAtSchool"] = new(r => Task.FromResult(r.State.B1.Id),
            (r, id) => r.Get<ReadinessService>().GetNotReadyAsync(r.Caller, new NotReadyQuery(r.State.LeaA.Id, id))),
        ["NotReadyCsv"] = new(r => Task.FromResult(r.State.LeaB.Id), (r, id) => r.Get<ReadinessService>().ExportNotReadyCsvAsync(r.Caller, id)),
        ["NotReadyCsvAtSchool"] = new(r => Task.FromResult(r.State.B1.Id), (r, id) => r.Get<ReadinessService>().ExportNotReadyCsvAsync(r.Caller, r.State.LeaA.Id, id)),
        ["AssuranceReport"] = new(r => Task.FromResult(r.State.LeaB.Id), (r, id) => r.Get<AssuranceStatusService>().GetReportAsync(r.Caller, id)),
        ["AssurancePeople"] = new(r => Task.FromResult(r.State.LeaB.Id),
            (r, id) => r.Get<AssuranceStatusService>().GetPeopleAsync(r.Caller, new AssurancePeopleQuery(SchoolSystemId: id))),
        ["AssurancePeopleAtSchool"] = new(r => Task.FromResult(r.State.B1.Id),
            (r, id) => r.Get<AssuranceStatusService>().GetPeopleAsync(r.Caller, new AssurancePeopleQuery(SchoolId: id))),
        ["AssuranceCsv"] = new(r => Task.FromResult(r.State.LeaB.Id),
            (r, id) => r.Get<AssuranceStatusService>().ExportCsvAsync(r.Caller, new AssurancePeopleQuery(SchoolSystemId: id))),
        ["AuditLogOfSchoolSystem"] = new(r => Task.FromResult(r.State.LeaB.Id),
            (r, id) => r.Get<AuditSearch>().SearchAsync(r.Caller, new AuditQuery(SchoolSystemId: id))),
        ["AuditLogOfPerson"] = new(r => Task.FromResult(r.State.UserB1.Id), (r, id) => r.Get<AuditSearch>().SearchAsync(r.Caller, new AuditQuery(PersonId: id))),
        ["AuditLogCsvOfSchoolSystem"] = new(r => Task.FromResult(r.State.LeaB.Id),
            (r, id) => r.Get<AuditSearch>().ExportCsvAsync(r.Caller, new AuditQuery(SchoolSystemId: id))),
        ["PersonHistoryPdf"] = new(r => Task.FromResult(r.State.UserB1.Id),
            (r, id) => r.Get<PersonHistory>().RetrieveAsync(r.Caller, id, PersonHistoryFormat.Pdf)),
        ["PersonHistoryCsv"] = new(r => Task.FromResult(r.State.UserB1.Id),
            (r, id) => r.Get<PersonHistory>().RetrieveAsync(r.Caller, id, PersonHistoryFormat.Csv)),
        ["MigrationPlan"] = new(r => Task.FromResult(r.State.LeaB.Id), (r, id) => r.Get<LegacyMigrationService>().GetPlanAsync(r.Caller, id, new MigrationQuery())),
        ["MigrateAll"] = new(r => Task.FromResult(r.State.LeaB.Id), (r, id) => r.Get<LegacyMigrationService>().MigrateAllAsync(r.Caller, id)),

        // Documents
        ["CoordinatorSetup"] = new(r => Task.FromResult(r.State.LeaB.Id), (r, id) => r.Get<DocumentService>().CoordinatorSetupAsync(r.Caller, id)),
        ["GainingAccess"] = new(r => Task.FromResult(r.State.LeaB.Id), (r, id) => r.Get<DocumentService>().GainingAccessAsync(r.Caller, id)),
        ["AuthorizedUserListPdf"] = new(r => Task.FromResult(r.State.LeaB.Id), (r, id) => r.Get<DocumentService>().AuthorizedUserListPdfAsync(r.Caller, id)),
        ["AuthorizedUserListCsv"] = new(r => Task.FromResult(r.State.LeaB.Id), (r, id) => r.Get<DocumentService>().AuthorizedUserListCsvAsync(r.Caller, id)),
        ["SignedStatement"] = new(async r =>
            {
                await TestState.SignThisYearAsync(r.Database, r.State.UserB1);
                return await r.ScalarAsync(db => db.AssuranceSignatures.Where(s => s.StaffMemberId == r.State.UserB1.Id).Select(s => s.Id).SingleAsync());
            }, (r, id) => r.Get<DocumentService>().SignedStatementAsync(r.Caller, id)),

        // Statewide records: only state administrators touch them
        ["StatementVersion"] = new(r => r.Get<StatementService>().CreateDraftAsync(r.Admin, new SchoolYear(2027), Statement),
            (r, id) => r.Get<StatementService>().GetVersionAsync(r.Caller, id)),
        ["UpdateStatementDraft"] = new(r => r.Get<StatementService>().CreateDraftAsync(r.Admin, new SchoolYear(2027), Statement),
            (r, id) => r.Get<StatementService>().UpdateDraftAsync(r.Caller, id, 0, Statement)),
        ["PublishStatement"] = new(r => r.Get<StatementService>().CreateDraftAsync(r.Admin, new SchoolYear(2027), Statement),
            (r, id) => r.Get<StatementService>().PublishAsync(r.Caller, id)),
        ["UpdateRole"] = new(r => Task.FromResult(r.State.LeaRole.Id), (r, id) => r.Get<RoleCatalogService>().UpdateRoleAsync(r.Caller, id, 0,
            new EserRoleEdit("LEA-REPORTS", "LEA Reports", "Run reports.", ["Run LEA reports"], false, RoleLevel.SchoolSystem))),
        ["RetireRole"] = new(r => Task.FromResult(r.State.LeaRole.Id), (r, id) => r.Get<RoleCatalogService>().RetireRoleAsync(r.Caller, id)),
        ["RestoreRole"] = new(r => Task.FromResult(r.State.LeaRole.Id), (r, id) => r.Get<RoleCatalogService>().RestoreRoleAsync(r.Caller, id)),
        ["RemoveRole"] = new(r => Task.FromResult(r.State.LeaRole.Id), (r, id) => r.Get<RoleCatalogService>().RemoveRoleAsync(r.Caller, id)),
        ["MapTasRole"] = new(async r => (await LegacyAccessState.CreateAsync(r.Database, r.State)).Gifted.Id,
            (r, id) => r.Get<RoleCatalogService>().MapTasRoleAsync(r.Caller, id, r.State.SchoolRole.Id, "Edit student records")),
        ["MapTasRoleToRole"] = new(async r =>
            {
                await LegacyAccessState.CreateAsync(r.Database, r.State);
                return r.State.LeaRole.Id;
            }, async (r, id) => await r.Get<RoleCatalogService>().MapTasRoleAsync(r.Caller,
                await r.ScalarAsync(db => db.TasRoles.Where(t => t.Name == LegacyAccessState.TasGifted).Select(t => t.Id).SingleAsync()), id, "Run LEA reports")),
        ["UnmapTasRole"] = new(async r => (await LegacyAccessState.CreateAsync(r.Database, r.State)).DataEntry.Id,
            (r, id) => r.Get<RoleCatalogService>().UnmapTasRoleAsync(r.Caller, id)),
        ["UpdateKeyDate"] = new(r => r.Get<KeyDateService>().CreateAsync(r.Admin, KeyDate),
            (r, id) => r.Get<KeyDateService>().UpdateAsync(r.Caller, id, 0, KeyDate with { Title = "Go-live moved" })),
        ["RemoveKeyDate"] = new(r => r.Get<KeyDateService>().CreateAsync(r.Admin, KeyDate), (r, id) => r.Get<KeyDateService>().RemoveAsync(r.Caller, id)),
    };

    public static TheoryData<Role, string> Cases()
    {
        var data = new TheoryData<Role, string>();
        foreach (var role in Enum.GetValues<Role>())
        {
            foreach (var operation in Operations.Keys)
            {
                data.Add(role, operation);
            }
        }
        return data;
    }

    [Theory]
    [MemberData(nameof(Cases))]
    public async Task IdOfAnotherSchoolSystem_AndIdThatDoesNotExist_AreRefusedAlike_AndWriteNothing(Role role, string operation)
    {
        await using var database = await TestDatabase.CreateAsync();
        var state = await TestState.CreateAsync(database);
        var reach = new Reach(database, state, TestState.CallerFor(role switch
        {
            Role.StateAdmin => state.StateAdmin,
            Role.DistrictA => state.DistrictA,
            Role.LocalA => state.LocalA,
            Role.SupervisorA => state.SupervisorA,
            _ => state.UserA1,
        }));
        var op = Operations[operation];
        var idOfB = await op.IdOfB(reach);
        await using var watch = await WriteWatch.StartAsync(database);

        var missing = await RefusalAsync(() => op.Call(reach, Missing));

        Assert.True(missing is not null || SearchesAnswerNothingFound.Contains(operation), $"{operation} with an id that does not exist was not refused.");
        Assert.True(missing is null || IsRefusal(missing), $"{operation} with an id that does not exist ended in {missing?.GetType().Name}: {missing?.Message}");
        if (role != Role.StateAdmin)
        {
            var other = await RefusalAsync(() => op.Call(reach, idOfB));
            Assert.True(other is not null || missing is null, $"{operation} with an id of school system B was not refused.");
            Assert.Equal((missing?.GetType(), missing?.Message), (other?.GetType(), other?.Message));
        }
        Assert.False(await watch.WroteAsync(), $"{operation} wrote to the database while refusing.");
    }

    private static bool IsRefusal(Exception exception) =>
        exception is ScopeDeniedException or RefusedOutcomeException || exception.GetType().Name.EndsWith("RefusedException", StringComparison.Ordinal);

    private static async Task<Exception?> RefusalAsync(Func<Task> call)
    {
        try
        {
            await call();
            return null;
        }
        catch (Exception ex)
        {
            return ex;
        }
    }

    /// <summary>Per-item operations answer a refusal as an outcome instead of throwing; the test treats it as thrown.</summary>
    private static void RefusedIfNotSucceeded(DecisionOutcome outcome)
    {
        if (!outcome.Succeeded)
        {
            throw new RefusedOutcomeException(outcome.Message);
        }
    }

    private static void RefusedIfNotSucceeded(ReviewDecisionOutcome outcome)
    {
        if (!outcome.Succeeded)
        {
            throw new RefusedOutcomeException(outcome.Message);
        }
    }

    private sealed class RefusedOutcomeException(string message) : Exception(message);

    /// <summary>
    /// SQLite's <c>data_version</c> seen from a connection of its own changes whenever another connection commits: a
    /// transaction that was rolled back, or never begun, leaves it as it was. PostgreSQL has no such counter (a rolled
    /// back write still uses a transaction id), so there every row is compared before and after instead.
    /// </summary>
    private sealed class WriteWatch : IAsyncDisposable
    {
        private readonly TestDatabase _database;
        private readonly SqliteConnection? _connection;
        private readonly long _before;
        private readonly HostileInput.DatabaseSnapshot? _snapshot;

        private WriteWatch(TestDatabase database, SqliteConnection? connection, long before, HostileInput.DatabaseSnapshot? snapshot) =>
            (_database, _connection, _before, _snapshot) = (database, connection, before, snapshot);

        public static async Task<WriteWatch> StartAsync(TestDatabase database)
        {
            if (TestDatabase.Provider == DatabaseProvider.Postgres)
            {
                return new WriteWatch(database, null, 0, await HostileInput.DatabaseSnapshot.TakeAsync(database));
            }
            var connection = new SqliteConnection(database.ConnectionString + ";Pooling=False");
            await connection.OpenAsync();
            return new WriteWatch(database, connection, await VersionAsync(connection), null);
        }

        public async Task<bool> WroteAsync() => _connection is null
            ? (await HostileInput.DatabaseSnapshot.TakeAsync(_database)).Fingerprint != _snapshot!.Fingerprint
            : await VersionAsync(_connection) != _before;

        private static async Task<long> VersionAsync(SqliteConnection connection)
        {
            await using var command = connection.CreateCommand();
            command.CommandText = "PRAGMA data_version;";
            return (long)(await command.ExecuteScalarAsync())!;
        }

        public async ValueTask DisposeAsync()
        {
            if (_connection is not null)
            {
                await _connection.DisposeAsync();
            }
        }
    }
}
