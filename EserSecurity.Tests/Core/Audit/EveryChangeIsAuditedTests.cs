using System.Reflection;
using EserSecurity.Core;
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
using EserSecurity.Core.Notifications;
using EserSecurity.Core.Provisioning;
using EserSecurity.Core.Retention;
using EserSecurity.Core.Reviews;
using EserSecurity.Core.Roles;
using EserSecurity.Core.SchoolSystems;
using EserSecurity.Core.Security;
using EserSecurity.Core.Staff;
using EserSecurity.Core.Tas;
using EserSecurity.Tests.Core.Assurance;
using EserSecurity.Tests.Core.Reviews;
using EserSecurity.Tests.Support;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;

namespace EserSecurity.Tests.Core.Audit;

/// <summary>
/// Every public Core operation that changes data, called once on the hand-built test state with the database watched by
/// <see cref="AuditedWriteObserver"/>: each transaction that wrote to a domain table and committed also appended an audit
/// event, and nothing was written outside a transaction. A reflection test keeps the list complete.
/// </summary>
public sealed class EveryChangeIsAuditedTests
{
    /// <summary>
    /// The operation's world: the test database and its state for arranging (its own services, not watched), and the
    /// watched services for the call itself.
    /// </summary>
    private sealed record Change(TestDatabase Database, TestState State, IServiceProvider Watched)
    {
        /// <summary>A service whose database work the observer watches: use it for the operation under test.</summary>
        public T Get<T>() where T : notnull => Watched.GetRequiredService<T>();

        /// <summary>A service of the test database, not watched: use it to arrange.</summary>
        public T Arrange<T>() where T : notnull => Database.Get<T>();

        public Caller Admin => TestState.CallerFor(State.StateAdmin);

        public Caller District => TestState.CallerFor(State.DistrictA);

        public DateOnly Today => DateOnly.FromDateTime(Database.Clock.GetUtcNow().UtcDateTime);

        public async Task<int> ScalarAsync(Func<EserSecurityDbContext, Task<int>> read)
        {
            await using var db = await Database.OpenAsync();
            return await read(db);
        }

        public async Task<int> PendingRequestAsync(EserRole role, AccessRequestStatus status = AccessRequestStatus.PendingCoordinator) =>
            (await TestState.AddPendingRequestAsync(Database, State.UserA1, role, State.LeaA, role.Level == RoleLevel.School ? State.A1 : null,
                Database.Clock.GetUtcNow().AddDays(-1), status)).Id;

        /// <summary>UserA1 moves from A1 to A3 in the state administrator's staff import, leaving a change-of-duties item.</summary>
        public async Task<int> ChangeOfDutiesItemAsync()
        {
            var grant = await GrantSetup.AddAsync(Database, State.UserA1, State.SchoolRole, State.LeaA, State.A1);
            await Arrange<StaffDirectoryImportService>().CommitAsync(Admin, DirectoryCsv.Staff().Person(State.UserA1, "101", "101003").ToStream());
            return await ScalarAsync(db => db.ChangeOfDutiesItems.Where(i => i.AccessGrantId == grant.Id).Select(i => i.Id).SingleAsync());
        }

        public async Task<int> RegisteredApiClientAsync() => (await Arrange<ApiClientService>().RegisterAsync(Admin, ApiClient)).Id;

        /// <summary>The version an editor reads: the sequence of the record's last audit event.</summary>
        public async Task<long> VersionAsync(string entityType, int id)
        {
            await using var db = await Database.OpenAsync();
            var entityId = id.ToString(System.Globalization.CultureInfo.InvariantCulture);
            return await db.AuditEvents.Where(e => e.EntityType == entityType && e.EntityId == entityId).MaxAsync(e => (long?)e.Sequence) ?? 0;
        }

        public Task<int> DraftStatementAsync() => Arrange<StatementService>().CreateDraftAsync(Admin, SchoolYear.Containing(Today), AssuranceTestSupport.Content());
    }

    private static readonly ApiClientEdit ApiClient = new("eser-audited", "eSER", ApiScopes.All, "http://127.0.0.1:9/hook");

    private static readonly KeyDateEdit KeyDate = new(KeyDateKind.Other, "Office hours", new DateOnly(2026, 12, 15));

    private static readonly EserRoleEdit NewRole = new("AUDIT-ROLE", "Audit role", "Reads audit reports.", ["Read audit reports"], false, RoleLevel.SchoolSystem);

    private static LocalPolicyChange LocalPolicy(DateOnly on) => new(on, true, new PolicyUpload("policy.pdf", "%PDF-1.7\n%%EOF\n"u8.ToArray()));

    /// <summary>
    /// Every public operation of a Core service that changes data, by "Service.Method", with a small call that changes
    /// something. Overloads share one entry: each delegates to the one the call reaches.
    /// </summary>
    private static readonly Dictionary<string, Func<Change, Task>> Changes = new()
    {
        // Requests and grants
        ["AccessRequestService.SubmitAsync"] = c => c.Get<AccessRequestService>().SubmitAsync(TestState.CallerFor(c.State.UserA1),
            new NewAccessRequest(c.State.SchoolRole.Id, c.State.A1.Id, "My duties need it.")),
        ["AccessRequestService.WithdrawAsync"] = async c =>
            await c.Get<AccessRequestService>().WithdrawAsync(TestState.CallerFor(c.State.UserA1), await c.PendingRequestAsync(c.State.SchoolRole)),
        ["AccessRequestService.DecideAsync"] = async c =>
            await c.Get<AccessRequestService>().DecideAsync(c.District, await c.PendingRequestAsync(c.State.SchoolRole), Decision.Deny, "Not needed."),
        ["AccessRequestService.EndorseAsync"] = async c => await c.Get<AccessRequestService>().EndorseAsync(TestState.CallerFor(c.State.SupervisorA),
            await c.PendingRequestAsync(c.State.IepRole, AccessRequestStatus.PendingSupervisor), Decision.Deny, "Not needed."),
        ["AccessRequestService.BulkApproveAsync"] = async c =>
        {
            await TestState.SignThisYearAsync(c.Database, c.State.UserA1);
            await c.Get<AccessRequestService>().BulkApproveAsync(c.District, [await c.PendingRequestAsync(c.State.SchoolRole)]);
        },
        ["AccessRequestService.RenewAsync"] = async c =>
        {
            var grant = await GrantSetup.AddAsync(c.Database, c.State.UserA1, c.State.SchoolRole, c.State.LeaA, c.State.A1);
            await using (var db = await c.Database.OpenAsync())
            {
                await db.AccessGrants.Where(g => g.Id == grant.Id).ExecuteUpdateAsync(s => s.SetProperty(g => g.EndsOn, c.Today.AddDays(7)));
            }
            await c.Get<AccessRequestService>().RenewAsync(TestState.CallerFor(c.State.UserA1), grant.Id);
        },
        ["GrantService.EndAsync"] = async c => await c.Get<GrantService>().EndAsync(c.District,
            (await GrantSetup.AddAsync(c.Database, c.State.UserA1, c.State.SchoolRole, c.State.LeaA, c.State.A1)).Id, "Duties changed."),
        ["GrantExpiry.RunAsync"] = async c =>
        {
            var grant = await GrantSetup.AddAsync(c.Database, c.State.UserA1, c.State.SchoolRole, c.State.LeaA, c.State.A1);
            await using (var db = await c.Database.OpenAsync())
            {
                await db.AccessGrants.Where(g => g.Id == grant.Id).ExecuteUpdateAsync(s => s.SetProperty(g => g.EndsOn, c.Today.AddDays(-1)));
            }
            await c.Get<GrantExpiry>().RunAsync();
        },
        ["DecisionCalendar.RecordDueTransitionsAsync"] = async c =>
        {
            await GrantSetup.AddAsync(c.Database, c.State.UserA1, c.State.SchoolRole, c.State.LeaA, c.State.A1);
            await c.Arrange<KeyDateService>().CreateAsync(c.Admin, new KeyDateEdit(KeyDateKind.GoLive, "Go-live", c.Today));
            await c.Get<DecisionCalendar>().RecordDueTransitionsAsync();
        },

        // Reviews
        ["AccessReviewService.SetCadenceAsync"] = c => c.Get<AccessReviewService>().SetCadenceAsync(c.District, c.State.LeaA.Id, AccessReviewKind.Semiannual),
        ["AccessReviewService.OpenAsync"] = c => c.Get<AccessReviewService>().OpenAsync(c.Admin, new OpenReviewPeriod([c.State.LeaA.Id], c.Today.AddDays(30))),
        ["AccessReviewService.DecideAsync"] = async c =>
            await c.Get<AccessReviewService>().DecideAsync(c.District, (await ReviewSetup.OpenForAAsync(c.Database, c.State)).ItemA1, ReviewDecision.Keep, null),
        ["AccessReviewService.DecideAsSupervisorAsync"] = async c => await c.Get<AccessReviewService>().DecideAsSupervisorAsync(
            TestState.CallerFor(c.State.SupervisorA), (await ReviewSetup.OpenForAAsync(c.Database, c.State)).ItemIepA1, ReviewDecision.Keep, null),
        ["AccessReviewService.BulkDecideAsync"] = async c =>
        {
            var setup = await ReviewSetup.OpenForAAsync(c.Database, c.State);
            await c.Get<AccessReviewService>().BulkDecideAsync(c.District, [setup.ItemA1, setup.ItemLeaA], ReviewDecision.Keep, null, asSupervisor: false);
        },
        ["AccessReviewService.SignOffAsync"] = async c =>
        {
            var setup = await ReviewSetup.OpenForAAsync(c.Database, c.State);
            await AccessReviewServiceTests.DecideAllAsync(c.Arrange<AccessReviewService>(), c.State, setup);
            await c.Get<AccessReviewService>().SignOffAsync(TestState.CallerFor(c.State.SupervisorA), setup.ReviewId, c.State.SupervisorA.FullName, 4);
        },
        ["AccessReviewService.ApplyDueDefaultsAsync"] = async c =>
        {
            await ReviewSetup.OpenForAAsync(c.Database, c.State, c.Today.AddDays(1));
            c.Database.Clock.Advance(TimeSpan.FromDays(2));
            await c.Get<AccessReviewService>().ApplyDueDefaultsAsync();
        },
        ["AccessReviewService.ReportPdfAsync"] = async c =>
            await c.Get<AccessReviewService>().ReportPdfAsync(c.District, (await ReviewSetup.OpenForAAsync(c.Database, c.State)).ReviewId),
        ["AccessReviewService.ReportCsvAsync"] = async c =>
            await c.Get<AccessReviewService>().ReportCsvAsync(c.District, (await ReviewSetup.OpenForAAsync(c.Database, c.State)).ReviewId),

        // Employment and change of duties
        ["EmploymentService.EndEmploymentAsync"] = c => c.Get<EmploymentService>().EndEmploymentAsync(c.District, c.State.UserA1.Id, c.Today),
        ["EmploymentService.CancelScheduledEndAsync"] = async c =>
        {
            await c.Arrange<EmploymentService>().EndEmploymentAsync(c.Admin, c.State.UserA1.Id, c.Today.AddDays(7));
            await c.Get<EmploymentService>().CancelScheduledEndAsync(c.District, c.State.UserA1.Id);
        },
        ["EmploymentService.ApplyDueEndsAsync"] = async c =>
        {
            await c.Arrange<EmploymentService>().EndEmploymentAsync(c.Admin, c.State.UserA1.Id, c.Today.AddDays(1));
            c.Database.Clock.Advance(TimeSpan.FromDays(1));
            await c.Get<EmploymentService>().ApplyDueEndsAsync();
        },
        ["ChangeOfDutiesService.DecideAsync"] = async c =>
            await c.Get<ChangeOfDutiesService>().DecideAsync(c.District, await c.ChangeOfDutiesItemAsync(), ChangeOfDutiesDecision.Keep),
        ["ChangeOfDutiesService.DecideManyAsync"] = async c =>
            await c.Get<ChangeOfDutiesService>().DecideManyAsync(c.District, [await c.ChangeOfDutiesItemAsync()], ChangeOfDutiesDecision.End),
        ["ChangeOfDutiesService.ApplyDueDefaultsAsync"] = async c =>
        {
            await c.ChangeOfDutiesItemAsync();
            c.Database.Clock.Advance(TimeSpan.FromDays(c.Get<IOptions<ChangeOfDutiesOptions>>().Value.DecideWithinDays + 1));
            await c.Get<ChangeOfDutiesService>().ApplyDueDefaultsAsync();
        },

        // Coordinators, deputies, separation exceptions
        ["CoordinatorService.AssignDistrictCoordinatorAsync"] = c =>
            c.Get<CoordinatorService>().AssignDistrictCoordinatorAsync(c.Admin, c.State.LeaA.Id, c.State.UserA3.Id),
        ["CoordinatorService.AssignLocalCoordinatorAsync"] = c =>
            c.Get<CoordinatorService>().AssignLocalCoordinatorAsync(c.District, c.State.LeaA.Id, c.State.UserA3.Id, new LocalCoverage(c.State.A3.Id, null)),
        ["CoordinatorService.AssignSupervisorAsync"] = c => c.Get<CoordinatorService>().AssignSupervisorAsync(c.Admin, c.State.LeaA.Id, c.State.UserA3.Id),
        ["CoordinatorService.EndCoordinatorAsync"] = async c => await c.Get<CoordinatorService>().EndCoordinatorAsync(c.Admin,
            await c.ScalarAsync(db => db.CoordinatorAssignments.Where(a => a.StaffMemberId == c.State.LocalA.Id).Select(a => a.Id).SingleAsync()), "Left."),
        ["CoordinatorService.EndSupervisorAsync"] = async c =>
        {
            var id = await c.ScalarAsync(async db =>
            {
                var assignment = new SupervisorAssignment { StaffMemberId = c.State.UserB1.Id, SchoolSystemId = c.State.LeaB.Id, StartsOn = new DateOnly(2026, 1, 1) };
                db.Add(assignment);
                await db.SaveChangesAsync();
                return assignment.Id;
            });
            await c.Get<CoordinatorService>().EndSupervisorAsync(c.Admin, id, "Left.");
        },
        ["CoordinatorService.CreateGroupAsync"] = async c =>
        {
            var school = await c.ScalarAsync(async db =>
            {
                var added = new School { SiteCode = "101004", Name = "Alpha Academy", SchoolSystemId = c.State.LeaA.Id };
                db.Add(added);
                await db.SaveChangesAsync();
                return added.Id;
            });
            await c.Get<CoordinatorService>().CreateGroupAsync(c.District, c.State.LeaA.Id, "South", [c.State.A3.Id, school]);
        },
        ["CoordinatorService.UpdateGroupAsync"] = async c => await c.Get<CoordinatorService>().UpdateGroupAsync(c.District,
            await c.ScalarAsync(db => db.SchoolGroups.Where(g => g.SchoolSystemId == c.State.LeaA.Id).Select(g => g.Id).FirstAsync()), "Renamed",
            [c.State.A1.Id, c.State.A2.Id]),
        ["CoordinatorService.RecordSeparationExceptionAsync"] = c =>
            c.Get<CoordinatorService>().RecordSeparationExceptionAsync(c.Admin, c.State.LeaA.Id, c.State.SupervisorA.Id, "Small office."),
        ["CoordinatorService.EndSeparationExceptionAsync"] = async c => await c.Get<CoordinatorService>().EndSeparationExceptionAsync(c.Admin,
            await c.Arrange<CoordinatorService>().RecordSeparationExceptionAsync(c.Admin, c.State.LeaA.Id, c.State.SupervisorA.Id, "Small office."), "Cover ended."),
        ["DeputyService.NameAsync"] = c => c.Get<DeputyService>().NameAsync(c.District,
            new NewDeputy(c.State.LocalA.Id, c.State.UserA3.Id, c.State.LeaA.Id, c.Today.AddDays(1), c.Today.AddDays(3))),
        ["DeputyService.ApproveAsync"] = async c => await c.Get<DeputyService>().ApproveAsync(c.District, await c.Arrange<DeputyService>().NameAsync(
            TestState.CallerFor(c.State.LocalA), new NewDeputy(c.State.LocalA.Id, c.State.UserA3.Id, c.State.LeaA.Id, c.Today.AddDays(1), c.Today.AddDays(1)))),
        ["DeputyService.CancelAsync"] = async c => await c.Get<DeputyService>().CancelAsync(c.District, await c.Arrange<DeputyService>().NameAsync(
            c.District, new NewDeputy(c.State.LocalA.Id, c.State.UserA3.Id, c.State.LeaA.Id, c.Today.AddDays(1), c.Today.AddDays(1)))),
        ["StateAdministratorService.AddAsync"] = c => c.Get<StateAdministratorService>().AddAsync(c.Admin, c.State.UserA3.Id),
        ["StateAdministratorService.EndAsync"] = async c => await c.Get<StateAdministratorService>().EndAsync(c.Admin,
            await c.Arrange<StateAdministratorService>().AddAsync(c.Admin, c.State.UserA3.Id), "No longer needed."),
        ["StateAdministratorService.BootstrapAsync"] = async c =>
        {
            await using (var db = await c.Database.OpenAsync())
            {
                await db.StateAdministrators.ExecuteDeleteAsync();
            }
            await ActivatorUtilities.CreateInstance<StateAdministratorService>(c.Watched,
                Options.Create(new BootstrapOptions { StateAdministrator = c.State.UserA3.StaffId })).BootstrapAsync();
        },

        // Sign-on links and link requests
        ["SignOnLinks.SignInAsync"] = c => TestPeople.SignInAsync(c.Watched, c.State.UserA3.StaffId),
        ["LinkRequestService.FileAsync"] = async c => await c.Get<LinkRequestService>().FileAsync(
            await LinkSetup.SignInUnlinkedAsync(c.Database, "new.person"), new LinkRequestForm("12345678", c.State.LeaA.Id, null)),
        ["LinkRequestService.ConfirmAsync"] = async c =>
            await c.Get<LinkRequestService>().ConfirmAsync(c.District, await LinkSetup.FileAsync(c.Database, "user.a3", c.State.LeaA, c.State.UserA3.StaffId)),
        ["LinkRequestService.RefuseAsync"] = async c =>
            await c.Get<LinkRequestService>().RefuseAsync(c.District, await LinkSetup.FileAsync(c.Database, "new.person", c.State.LeaA, null), "Not in our directory."),
        ["LinkRequestService.UnlinkAsync"] = async c =>
            await c.Get<LinkRequestService>().UnlinkAsync(c.District, await LinkSetup.LinkedIdentityAsync(c.Database, c.State.UserA3)),

        // School systems, local duties, key dates
        ["SchoolSystemService.UpdateSecurityPolicyAsync"] = c => c.Get<SchoolSystemService>().UpdateSecurityPolicyAsync(c.District, c.State.LeaA.Id, 0,
            new SecurityPolicyChange(new DateOnly(2026, 8, 1), true, new DateOnly(2026, 8, 15))),
        ["LocalDutiesService.RecordPolicyAsync"] = c => c.Get<LocalDutiesService>().RecordPolicyAsync(c.District, c.State.LeaA.Id, LocalPolicy(new DateOnly(2026, 8, 1))),
        ["LocalDutiesService.RecordRemovalProcedureAsync"] = c =>
            c.Get<LocalDutiesService>().RecordRemovalProcedureAsync(c.District, c.State.LeaA.Id, new DateOnly(2026, 8, 1)),
        ["LocalDutiesService.AddTrainingSessionAsync"] = c =>
            c.Get<LocalDutiesService>().AddTrainingSessionAsync(c.District, c.State.LeaA.Id, new DateOnly(2026, 9, 1), "IEP security", [c.State.UserA1.Id]),
        ["KeyDateService.CreateAsync"] = c => c.Get<KeyDateService>().CreateAsync(c.Admin, KeyDate),
        ["KeyDateService.AddWeeklyAsync"] = c => c.Get<KeyDateService>().AddWeeklyAsync(c.Admin, KeyDate, KeyDate.On.AddDays(14)),
        ["KeyDateService.UpdateAsync"] = async c =>
        {
            var id = await c.Arrange<KeyDateService>().CreateAsync(c.Admin, KeyDate);
            await c.Get<KeyDateService>().UpdateAsync(c.Admin, id, await c.VersionAsync(nameof(KeyDate), id), KeyDate with { Title = "Moved" });
        },
        ["KeyDateService.RemoveAsync"] = async c => await c.Get<KeyDateService>().RemoveAsync(c.Admin, await c.Arrange<KeyDateService>().CreateAsync(c.Admin, KeyDate)),

        // Roles and the TAS catalogue
        ["RoleCatalogService.CreateRoleAsync"] = c => c.Get<RoleCatalogService>().CreateRoleAsync(c.Admin, NewRole),
        ["RoleCatalogService.UpdateRoleAsync"] = c => c.Get<RoleCatalogService>().UpdateRoleAsync(c.Admin, c.State.LeaRole.Id, 0,
            new EserRoleEdit("LEA-REPORTS", "LEA Reports", "Run reports.", ["Run LEA reports"], false, RoleLevel.SchoolSystem)),
        ["RoleCatalogService.RetireRoleAsync"] = c => c.Get<RoleCatalogService>().RetireRoleAsync(c.Admin, c.State.LeaRole.Id),
        ["RoleCatalogService.RestoreRoleAsync"] = async c =>
        {
            await c.Arrange<RoleCatalogService>().RetireRoleAsync(c.Admin, c.State.LeaRole.Id);
            await c.Get<RoleCatalogService>().RestoreRoleAsync(c.Admin, c.State.LeaRole.Id);
        },
        ["RoleCatalogService.RemoveRoleAsync"] = async c =>
            await c.Get<RoleCatalogService>().RemoveRoleAsync(c.Admin, await c.Arrange<RoleCatalogService>().CreateRoleAsync(c.Admin, NewRole)),
        ["RoleCatalogService.MapTasRoleAsync"] = async c => await c.Get<RoleCatalogService>().MapTasRoleAsync(c.Admin,
            (await LegacyAccessState.CreateAsync(c.Database, c.State)).Gifted.Id, c.State.SchoolRole.Id, "Edit student records"),
        ["RoleCatalogService.UnmapTasRoleAsync"] = async c =>
            await c.Get<RoleCatalogService>().UnmapTasRoleAsync(c.Admin, (await LegacyAccessState.CreateAsync(c.Database, c.State)).DataEntry.Id),

        // Imports and migration
        ["SchoolDirectoryImportService.CommitAsync"] = c => c.Get<SchoolDirectoryImportService>().CommitAsync(c.Admin,
            DirectoryCsv.Schools().Row("101", "Alpha Parish Schools", "101009", "Alpha New", "Open").ToStream()),
        ["StaffDirectoryImportService.CommitAsync"] = c => c.Get<StaffDirectoryImportService>().CommitAsync(c.Admin,
            DirectoryCsv.Staff().Person(c.State.UserA3, "101", "101003", position: "Lead teacher").ToStream()),
        ["TasImportService.CommitAsync"] = c => c.Get<TasImportService>().CommitAsync(c.Admin,
            new TasReportCsv().Row(c.State.UserA1, "101", "101001", "SER Transition Planning").ToStream()),
        ["LegacyMigrationService.MigrateAsync"] = async c =>
        {
            var tas = await LegacyAccessState.CreateAsync(c.Database, c.State);
            await LegacyAccessState.AddAsync(c.Database, c.State.UserA1, c.State.LeaA, c.State.A1, tas.DataEntry);
            await c.Get<LegacyMigrationService>().MigrateAsync(c.District, c.State.LeaA.Id, [new MigrationItem(c.State.UserA1.Id, c.State.SchoolRole.Id, c.State.A1.Id)]);
        },
        ["LegacyMigrationService.MigrateAllAsync"] = async c =>
        {
            var tas = await LegacyAccessState.CreateAsync(c.Database, c.State);
            await LegacyAccessState.AddAsync(c.Database, c.State.UserA1, c.State.LeaA, c.State.A1, tas.DataEntry);
            await c.Get<LegacyMigrationService>().MigrateAllAsync(c.District, c.State.LeaA.Id);
        },

        // Assurance
        ["StatementService.CreateDraftAsync"] = c => c.Get<StatementService>().CreateDraftAsync(c.Admin, SchoolYear.Containing(c.Today), AssuranceTestSupport.Content()),
        ["StatementService.UpdateDraftAsync"] = async c =>
        {
            var id = await c.DraftStatementAsync();
            await c.Get<StatementService>().UpdateDraftAsync(c.Admin, id, await c.VersionAsync(nameof(StatementVersion), id), AssuranceTestSupport.Content(title: "Revised statement"));
        },
        ["StatementService.PublishAsync"] = async c => await c.Get<StatementService>().PublishAsync(c.Admin, await c.DraftStatementAsync()),
        ["AssuranceService.SignAsync"] = async c =>
        {
            var version = await AssuranceTestSupport.PublishAsync(c.Database, c.State);
            await c.Get<AssuranceService>().SignAsync(TestState.CallerFor(c.State.UserA1), new SignatureRequest(version,
                Enumerable.Range(0, AssuranceTestSupport.Acknowledgements.Length).ToList(), c.State.UserA1.FullName, "10.1.2.3", "Mozilla/5.0 (test)"));
        },

        // Provisioning clients, notices
        ["ApiClientService.RegisterAsync"] = c => c.Get<ApiClientService>().RegisterAsync(c.Admin, ApiClient),
        ["ApiClientService.UpdateAsync"] = async c =>
            await c.Get<ApiClientService>().UpdateAsync(c.Admin, await c.RegisteredApiClientAsync(), ApiClient with { Name = "eSER (renamed)" }),
        ["ApiClientService.RotateWebhookSecretAsync"] = async c => await c.Get<ApiClientService>().RotateWebhookSecretAsync(c.Admin, await c.RegisteredApiClientAsync()),
        ["ApiClientService.RevokeAsync"] = async c => await c.Get<ApiClientService>().RevokeAsync(c.Admin, await c.RegisteredApiClientAsync(), "Replaced."),
        ["NotificationService.SetChoiceAsync"] = c =>
            c.Get<NotificationService>().SetChoiceAsync(c.District, NotificationKind.RequestWaiting, NotificationDelivery.DailyDigest),

        // Personal data handed out: the hand-out itself is the change, a security event in the audit log
        ["SecurityEvents.PersonalDataHandedOutAsync"] = c =>
            c.Get<SecurityEvents>().PersonalDataHandedOutAsync(c.District, "Authorized-user list (CSV)", c.State.LeaA.Id, 1, null, CancellationToken.None),
        ["SecurityEvents.WriteQueuedRefusalsAsync"] = async c =>
        {
            await Assert.ThrowsAsync<ScopeDeniedException>(() => c.Get<StaffDirectory>().GetProfileAsync(TestState.CallerFor(c.State.UserA1), c.State.UserB1.Id));
            await c.Get<SecurityEvents>().WriteQueuedRefusalsAsync();
        },
        ["DocumentService.AuthorizedUserListPdfAsync"] = c => c.Get<DocumentService>().AuthorizedUserListPdfAsync(c.District, c.State.LeaA.Id),
        ["DocumentService.AuthorizedUserListCsvAsync"] = c => c.Get<DocumentService>().AuthorizedUserListCsvAsync(c.District, c.State.LeaA.Id),
        ["PersonHistory.RetrieveAsync"] = c => c.Get<PersonHistory>().RetrieveAsync(c.Admin, c.State.UserA1.Id, PersonHistoryFormat.Csv),

        // Retention: a grant that ended, archived once its school year is more than seven years past
        ["RetentionArchive.RunAsync"] = async c =>
        {
            var grant = await GrantSetup.AddAsync(c.Database, c.State.UserA1, c.State.SchoolRole, c.State.LeaA, c.State.A1);
            await c.Arrange<GrantService>().EndAsync(c.District, grant.Id, "Duties changed.");
            c.Database.Clock.SetUtcNow(c.Database.Clock.GetUtcNow().AddYears(9));
            var folder = Path.Combine(Path.GetTempPath(), $"eser-audited-archive-{Guid.NewGuid():N}");
            try
            {
                var archive = new RetentionArchive(c.Get<IDbContextFactory<EserSecurityDbContext>>(), c.Get<ScopeService>(), c.Get<AuditLog>(),
                    c.Get<AuditChainKey>(), Options.Create(new RetentionOptions { Folder = folder }), c.Database.Clock, NullLogger<RetentionArchive>.Instance);
                Assert.NotEmpty((await archive.RunAsync()).Batches);
            }
            finally
            {
                if (Directory.Exists(folder))
                {
                    Directory.Delete(folder, recursive: true);
                }
            }
        },
        ["DocumentService.SignedStatementAsync"] = async c =>
        {
            await TestState.SignThisYearAsync(c.Database, c.State.UserA1);
            await c.Get<DocumentService>().SignedStatementAsync(c.District,
                await c.ScalarAsync(db => db.AssuranceSignatures.Where(s => s.StaffMemberId == c.State.UserA1.Id).Select(s => s.Id).SingleAsync()));
        },
    };

    /// <summary>
    /// Public operations whose names do not say they read (see <see cref="IsRead"/>) but that change nothing the audit log
    /// records, each with the reason.
    /// </summary>
    private static readonly Dictionary<string, string> NotAudited = new()
    {
        ["NotificationService.MarkReadAsync"] = "Marks one of the caller's own notices read: a display state of the caller's inbox, not a change to access or records.",
        ["NotificationService.MarkAllReadAsync"] = "Marks the caller's own notices read, as MarkReadAsync does for one.",
        ["LinkRequestService.AcknowledgeRefusalAsync"] =
            "Records that the requester was shown the refusal of their own link request, so it is shown once: a display state; the refusal itself is audited.",
        ["RequestFollowUp.RunAsync"] = FollowUp,
        ["LinkRequestFollowUp.RunAsync"] = FollowUp,
        ["AssuranceReminders.RunAsync"] = FollowUp,
        ["AccessReviewService.RemindDueSoonAsync"] = FollowUp,
        ["NotificationMailer.SendDueAsync"] = "Sends the e-mail of notices already written (and audited with their change) and marks them sent: delivery bookkeeping.",
        ["WebhookSender.DeliverDueAsync"] = "Delivers change-feed entries already written with their change to the registered receivers and records the attempt: delivery bookkeeping.",
        ["SignOnLinks.EndSessionAsync"] = "Ends a sign-in session (sign-out): session state, written to the security log, as the sign-in is.",
        ["SignOnLinks.CheckAsync"] = "Reads whether a signed-in account still has the console.",
        ["AuditLog.VerifyAsync"] = "Checks the chain and records the check in AuditVerifications, the audit log's own record, with the head written to the log (event 7201).",
        ["RetentionArchive.VerifyArchiveAsync"] = "Reads the archive's files and the live chain and reports what it found; writes nothing.",
        ["AssuranceService.VerifyAsync"] = "Reads whether a verification code belongs to a signature.",
        ["ApiClientRegistry.AuthorizeAsync"] = "Reads whether an API client is registered and allowed a scope.",
        ["StatementService.StartVersionAsync"] = "Reads how the next statement version would start; CreateDraftAsync writes it.",
        ["DocumentService.CoordinatorSetupAsync"] = "Renders a guide that names no one; reads only.",
        ["DocumentService.GainingAccessAsync"] = "Renders a guide that names no one; reads only.",
        ["DocumentService.WriteOnePagersZipAsync"] = "Writes the guides into a stream the caller gives; reads only.",
        ["DatabaseInitializer.InitializeAsync"] = "Applies migrations and the configured demo state before the console serves anyone; no person acts.",
        ["DatabaseInitializer.PendingMigrationsAsync"] = "Reads which migrations are not applied yet.",
        ["ImportCommitGate.EnterAsync"] = "Takes an import's turn in this process and, on PostgreSQL, the import lease (an advisory lock); writes no row.",
        ["JobLeases.TryTakeAsync"] = "Takes a job's lease: on PostgreSQL an advisory lock on a session of its own; writes no row.",
        ["JobLeases.TakeAsync"] = "Takes a job's lease, waiting for it: on PostgreSQL an advisory lock on a session of its own; writes no row.",
    };

    /// <summary>
    /// Reminders and escalations: a notice to the people an item waits for, and on the item the follow-up level sent
    /// ("Reminder sent Dec 11"), so a repeated run sends none twice. They tell people of a wait; they change no access,
    /// no record and no routing, and the notices themselves keep their recipient and time.
    /// </summary>
    private const string FollowUp =
        "Sends reminder or escalation notices and marks on the waiting item which follow-up went out, so each is sent once: a message about a wait, not a change to access or records.";

    /// <summary>
    /// Names that say an operation only reads. Core names its reads this way (Get…, List…, Read…, Find…, Search…, Count…,
    /// Is…/Can…/Has…/Concerns… for answers, Export… for a list handed out, which appends its security event only,
    /// Preview… for an import's dry run, Demand… for a scope check); every other public operation is taken as a change
    /// until the list above or <see cref="NotAudited"/> says what it is. A new operation therefore fails the completeness
    /// test until someone decides.
    /// </summary>
    private static readonly string[] ReadPrefixes = ["Get", "List", "Read", "Find", "Search", "Count", "Is", "Can", "Has", "Concerns", "Export", "Preview", "Demand"];

    /// <summary>A read by its name: a prefix followed by the next word's capital ("CountUnreadAsync", not "CancelAsync").</summary>
    private static bool IsRead(MethodInfo method) =>
        ReadPrefixes.Any(p => method.Name.Length > p.Length && method.Name.StartsWith(p, StringComparison.Ordinal) && char.IsUpper(method.Name[p.Length]));

    /// <summary>
    /// The public asynchronous operations of every Core service that <c>AddEserSecurityCore</c> registers. Hosted services
    /// are left out: they are the schedulers that call the services' own public runs (RunAsync, ApplyDue…Async), which are
    /// listed. Synchronous members are left out: every database write in Core is asynchronous.
    /// </summary>
    private static List<MethodInfo> CoreOperations()
    {
        var services = new ServiceCollection().AddEserSecurityCore(new DatabaseOptions());
        var core = typeof(AuditLog).Assembly;
        var types = services
            .Select(d => d.ImplementationType ?? d.ImplementationInstance?.GetType() ?? d.ServiceType)
            .Where(t => t.Assembly == core && t.IsPublic && t.IsClass && !typeof(IHostedService).IsAssignableFrom(t) && !typeof(DbContext).IsAssignableFrom(t))
            .Distinct();
        return types
            .SelectMany(t => t.GetMethods(BindingFlags.Public | BindingFlags.Instance | BindingFlags.DeclaredOnly))
            .Where(m => !m.IsSpecialName && (typeof(Task).IsAssignableFrom(m.ReturnType) || m.ReturnType.Name.StartsWith("ValueTask", StringComparison.Ordinal)))
            .ToList();
    }

    private static string KeyOf(MethodInfo method) => $"{method.DeclaringType!.Name}.{method.Name}";

    public static TheoryData<string> ChangeNames() => new(Changes.Keys.Order(StringComparer.Ordinal));

    [Fact]
    public void EveryCoreOperationThatIsNotARead_IsListedAsAChange_OrAsNotAudited_WithItsReason()
    {
        var operations = CoreOperations();
        var changes = operations.Where(m => !IsRead(m)).Select(KeyOf).ToHashSet(StringComparer.Ordinal);

        var unlisted = changes.Where(k => !Changes.ContainsKey(k) && !NotAudited.ContainsKey(k)).Order(StringComparer.Ordinal).ToList();
        var stale = Changes.Keys.Concat(NotAudited.Keys).Where(k => !changes.Contains(k)).Order(StringComparer.Ordinal).ToList();

        Assert.True(unlisted.Count == 0, "Core operations that may change data, listed neither as a change nor as not audited: " + string.Join(", ", unlisted));
        Assert.True(stale.Count == 0, "Listed operations that are not public Core operations (or read by their name): " + string.Join(", ", stale));
        Assert.Empty(Changes.Keys.Intersect(NotAudited.Keys));
        Assert.All(NotAudited.Values, reason => Assert.False(string.IsNullOrWhiteSpace(reason)));
    }

    [Theory]
    [MemberData(nameof(ChangeNames))]
    public async Task Change_AppendsItsAuditEvent_InTheTransactionThatCommitsIt(string change)
    {
        await using var database = await TestDatabase.CreateAsync();
        var state = await TestState.CreateAsync(database);
        var observer = new AuditedWriteObserver();
        await using var watched = Watched(database, observer);

        long before;
        await using (var db = await database.OpenAsync())
        {
            before = await db.AuditEvents.MaxAsync(e => (long?)e.Sequence) ?? 0;
        }

        await Changes[change](new Change(database, state, watched));

        Assert.Empty(observer.Problems());
        Assert.True(observer.CommittedAnAuditEvent, $"{change} committed no audit event: the call changed nothing, so it proves nothing.");
        await using (var db = await database.OpenAsync())
        {
            // The audit log page filters by kind of action; an action of no kind could be found by no filter but "all".
            var actions = await db.AuditEvents.Where(e => e.Sequence > before).Select(e => e.Action).Distinct().ToListAsync();
            Assert.All(actions, action => Assert.True(AuditSearch.Kinds.Any(k => action.StartsWith(k.Key + ".", StringComparison.Ordinal)),
                $"{change} writes '{action}', which is of none of the audit log's kinds (AuditSearch.Kinds)."));
        }
    }

    [Fact]
    public async Task Observer_ReportsAChangeCommittedWithoutItsAuditEvent()
    {
        await using var database = await TestDatabase.CreateAsync();
        var state = await TestState.CreateAsync(database);
        var observer = new AuditedWriteObserver();
        await using var watched = Watched(database, observer);

        await using (var db = await watched.GetRequiredService<IDbContextFactory<EserSecurityDbContext>>().CreateDbContextAsync())
        {
            await using var transaction = await db.Database.BeginTransactionAsync();
            db.KeyDates.Add(new KeyDate { Kind = KeyDateKind.Other, Title = "Unaudited", On = new DateOnly(2026, 12, 15) });
            await db.SaveChangesAsync();
            await transaction.CommitAsync();
        }

        Assert.Equal(["A transaction wrote KeyDates and committed without an audit event."], observer.Problems());
        Assert.False(observer.CommittedAnAuditEvent);
    }

    [Fact]
    public async Task Observer_ReportsAWriteOutsideATransaction()
    {
        await using var database = await TestDatabase.CreateAsync();
        var state = await TestState.CreateAsync(database);
        var observer = new AuditedWriteObserver();
        await using var watched = Watched(database, observer);

        await using (var db = await watched.GetRequiredService<IDbContextFactory<EserSecurityDbContext>>().CreateDbContextAsync())
        {
            await db.StaffMembers.Where(s => s.Id == state.UserA1.Id).ExecuteUpdateAsync(s => s.SetProperty(p => p.Position, "Principal"));
        }

        Assert.Equal(["StaffMembers was written outside a transaction."], observer.Problems());
    }

    [Fact]
    public async Task Observer_AcceptsAChangeWhoseAuditEventCommitsWithIt_AndIgnoresOneRolledBack()
    {
        await using var database = await TestDatabase.CreateAsync();
        var state = await TestState.CreateAsync(database);
        var observer = new AuditedWriteObserver();
        await using var watched = Watched(database, observer);
        var factory = watched.GetRequiredService<IDbContextFactory<EserSecurityDbContext>>();

        await using (var db = await factory.CreateDbContextAsync())
        {
            await using var transaction = await db.BeginWriteAsync(CancellationToken.None);
            db.KeyDates.Add(new KeyDate { Kind = KeyDateKind.Other, Title = "Audited", On = new DateOnly(2026, 12, 15) });
            await db.SaveChangesAsync();
            await AuditLog.AppendAsync(db, TestState.CallerFor(state.StateAdmin), database.Clock.GetUtcNow(),
                new AuditEntry("KeyDate.Created", nameof(KeyDate), "1", null), CancellationToken.None);
            await transaction.CommitAsync();
        }
        await using (var db = await factory.CreateDbContextAsync())
        {
            await using var transaction = await db.Database.BeginTransactionAsync();
            db.KeyDates.Add(new KeyDate { Kind = KeyDateKind.Other, Title = "Rolled back", On = new DateOnly(2026, 12, 16) });
            await db.SaveChangesAsync();
            await transaction.RollbackAsync();
        }

        Assert.Empty(observer.Problems());
        Assert.True(observer.CommittedAnAuditEvent);
    }

    /// <summary>
    /// The Core services over the test database, registered through the console's own extension method (as bUnit tests
    /// do), with the observer's interceptors added to the context options.
    /// </summary>
    private static ServiceProvider Watched(TestDatabase database, AuditedWriteObserver observer)
    {
        var services = new ServiceCollection();
        services.AddSingleton<ILoggerFactory>(NullLoggerFactory.Instance);
        services.AddSingleton(typeof(ILogger<>), typeof(NullLogger<>));
        database.AddCoreServicesTo(services);
        services.ConfigureDbContext<EserSecurityDbContext>(options => options.AddInterceptors(observer.Interceptors));
        return services.BuildServiceProvider();
    }
}
