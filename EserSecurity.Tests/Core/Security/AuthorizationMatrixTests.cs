using System.Text;
using EserSecurity.Core.Administration;
using EserSecurity.Core.Audit;
using EserSecurity.Core.Coordinators;
using EserSecurity.Core.Directories;
using EserSecurity.Core.Employment;
using EserSecurity.Core.Grants;
using EserSecurity.Core.Home;
using EserSecurity.Core.Documents;
using EserSecurity.Core.Identity;
using EserSecurity.Core.KeyDates;
using EserSecurity.Core.LegacyMigration;
using EserSecurity.Core.Reviews;
using EserSecurity.Core.LocalDuties;
using EserSecurity.Core.Notifications;
using EserSecurity.Core.Provisioning;
using EserSecurity.Core.SchoolSystems;
using EserSecurity.Core.Security;
using EserSecurity.Core.Staff;
using EserSecurity.Core.Tas;
using EserSecurity.Tests.Core.Documents;
using EserSecurity.Tests.Core.Reviews;
using EserSecurity.Tests.Support;
using Microsoft.EntityFrameworkCore;

namespace EserSecurity.Tests.Core.Security;

/// <summary>
/// Every role × every service operation × in scope and out of scope, called straight on the services as a crafted
/// circuit call would: the service itself must refuse.
/// </summary>
public sealed class AuthorizationMatrixTests
{
    public enum Role { StateAdmin, DistrictA, LocalA, SupervisorA, UserA1 }

    public enum Operation
    {
        UpdatePolicyOfA,
        UpdatePolicyOfB,
        ListSeesA,
        ListSeesB,
        ProfileOfUserInGroupSchool,
        ProfileOfUserOutsideGroup,
        ProfileOfUserInB,
        ReadAuditLog,
        ReadSecurityEvents,
        OpenAuditLogPage,
        VerifyAuditLog,
        AuditLogSeesEventOfA,
        AuditLogSeesEventOfB,
        AuditLogSeesStatewideEvent,
        AuditLogFilteredToB,
        AuditLogFilteredToPersonOfB,
        ExportAuditLog,
        ExportAuditLogOfB,
        PersonHistoryPdfOfUserA1,
        PersonHistoryCsvOfUserB1,
        ListStateAdministrators,
        FindStateAdministratorCandidates,
        AddStateAdministrator,
        EndStateAdministrator,
        PreviewStaffDirectoryOfA,
        CommitStaffDirectoryOfA,
        PreviewSchoolDirectory,
        CommitSchoolDirectory,
        DirectoryRecordOfUserInGroupSchool,
        DirectoryRecordOfUserOutsideGroup,
        DirectoryRecordOfUserInB,
        DirectoryRecordByStaffIdOfUserOutsideGroup,
        DirectoryRecordByStaffIdOfUserInB,
        LinkRequestsSeesA,
        LinkRequestsSeesB,
        ListApiClients,
        RegisterApiClient,
        ChangeApiClient,
        RotateApiClientWebhookKey,
        RevokeApiClient,
        MarkOwnNoticeRead,
        MarkNoticeOfDistrictARead,
        NoticeListSeesDistrictAsNotice,
        SetOwnEmailChoice,
        LinkRequestCountSeesA,
        ConfirmLinkRequestInA,
        ConfirmLinkRequestInB,
        RefuseLinkRequestInA,
        RefuseLinkRequestInB,
        LinkedAccountsSeesA,
        LinkedAccountsSeesB,
        LinkedAccountsOfUserA3,
        UnlinkAccountInA,
        UnlinkAccountInB,
        EndGrantAtGroupSchool,
        EndGrantAtSchoolOutsideGroup,
        EndGrantOfLeaA,
        EndGrantInB,
        RenewGrantOfUserA1,
        ExpiringListSeesA3Grant,
        NameDeputyForLocalA,
        ApproveDeputyInA,
        CancelDeputyOfLocalA,
        DeputyCandidatesInA,
        PersonAccessOfUserOutsideGroup,
        EndEmploymentOfUserInGroupSchool,
        EndEmploymentOfUserOutsideGroup,
        EndEmploymentOfUserInB,
        CancelScheduledEndOfUserInGroupSchool,
        CancelScheduledEndOfUserOutsideGroup,
        CancelScheduledEndOfUserInB,
        ChangeOfDutiesSeesA,
        TasPreviewResolvesStaffIdOfB,
        TasCommitAddsTasRole,
        MigratePersonOfBInA,
        AuthorizedUserListPdfOfAShowsA3Grant,
        AuthorizedUserListCsvOfAShowsA3Grant,
        AuthorizedUserListCsvOfAShowsA1Grant,
        ChangeOfDutiesSeesB,
        KeepChangeOfDutiesInA,
        EndChangeOfDutiesInB,
        OpenReviewOfA,
        SetReviewCadenceOfA,
        SetReviewCadenceOfB,
        ReviewListSeesA,
        ReviewOfA,
        ReviewItemsSeeA3,
        DecideReviewItemA1,
        DecideReviewItemA3,
        DecideReviewItemOfB,
        SupervisorDecideIepItemOfA,
        SignOffReviewOfA,
        ReviewReportPdfOfA,
        ReviewReportCsvOfA,
        RecordSeparationExceptionInA,
        EndSeparationExceptionInA,
        ReadLocalDutiesOfA,
        ReadLocalDutiesOfB,
        LocalDutiesStatusesSeeA,
        LocalDutiesStatusesSeeB,
        RecordLocalPolicyOfA,
        RecordLocalPolicyOfB,
        RecordRemovalProcedureOfA,
        RecordRemovalProcedureOfB,
        AddTrainingSessionInA,
        AddTrainingSessionInB,
        FindTrainingStaffInA,
        DownloadLocalPolicyOfA,
        DownloadLocalPolicyOfB,
    }

    public static TheoryData<Role, Operation, bool> Matrix()
    {
        var allowed = new Dictionary<Operation, Role[]>
        {
            [Operation.UpdatePolicyOfA] = [Role.StateAdmin, Role.DistrictA],
            [Operation.UpdatePolicyOfB] = [Role.StateAdmin],
            [Operation.ListSeesA] = [Role.StateAdmin, Role.DistrictA, Role.LocalA, Role.SupervisorA],
            [Operation.ListSeesB] = [Role.StateAdmin],
            [Operation.ProfileOfUserInGroupSchool] = [Role.StateAdmin, Role.DistrictA, Role.LocalA, Role.SupervisorA, Role.UserA1],
            [Operation.ProfileOfUserOutsideGroup] = [Role.StateAdmin, Role.DistrictA, Role.SupervisorA],
            [Operation.ProfileOfUserInB] = [Role.StateAdmin],
            [Operation.ReadAuditLog] = [Role.StateAdmin, Role.DistrictA, Role.SupervisorA],
            [Operation.ReadSecurityEvents] = [Role.StateAdmin, Role.DistrictA, Role.SupervisorA],
            [Operation.OpenAuditLogPage] = [Role.StateAdmin, Role.DistrictA, Role.SupervisorA],
            [Operation.VerifyAuditLog] = [Role.StateAdmin],
            [Operation.AuditLogSeesEventOfA] = [Role.StateAdmin, Role.DistrictA, Role.SupervisorA],
            [Operation.AuditLogSeesEventOfB] = [Role.StateAdmin],
            [Operation.AuditLogSeesStatewideEvent] = [Role.StateAdmin],
            [Operation.AuditLogFilteredToB] = [Role.StateAdmin],
            [Operation.AuditLogFilteredToPersonOfB] = [Role.StateAdmin],
            [Operation.ExportAuditLog] = [Role.StateAdmin, Role.DistrictA, Role.SupervisorA],
            [Operation.ExportAuditLogOfB] = [Role.StateAdmin],
            [Operation.PersonHistoryPdfOfUserA1] = [Role.StateAdmin],
            [Operation.PersonHistoryCsvOfUserB1] = [Role.StateAdmin],
            [Operation.ListStateAdministrators] = [Role.StateAdmin],
            [Operation.FindStateAdministratorCandidates] = [Role.StateAdmin],
            [Operation.AddStateAdministrator] = [Role.StateAdmin],
            [Operation.EndStateAdministrator] = [Role.StateAdmin],
            [Operation.PreviewStaffDirectoryOfA] = [Role.StateAdmin, Role.DistrictA],
            [Operation.CommitStaffDirectoryOfA] = [Role.StateAdmin, Role.DistrictA],
            [Operation.PreviewSchoolDirectory] = [Role.StateAdmin],
            [Operation.CommitSchoolDirectory] = [Role.StateAdmin],
            [Operation.DirectoryRecordOfUserInGroupSchool] = [Role.StateAdmin, Role.DistrictA, Role.LocalA, Role.SupervisorA, Role.UserA1],
            [Operation.DirectoryRecordOfUserOutsideGroup] = [Role.StateAdmin, Role.DistrictA, Role.SupervisorA],
            [Operation.DirectoryRecordOfUserInB] = [Role.StateAdmin],
            [Operation.DirectoryRecordByStaffIdOfUserOutsideGroup] = [Role.StateAdmin, Role.DistrictA, Role.SupervisorA],
            [Operation.DirectoryRecordByStaffIdOfUserInB] = [Role.StateAdmin],
            [Operation.LinkRequestsSeesA] = [Role.StateAdmin, Role.DistrictA],
            [Operation.LinkRequestsSeesB] = [Role.StateAdmin],
            [Operation.ListApiClients] = [Role.StateAdmin],
            [Operation.RegisterApiClient] = [Role.StateAdmin],
            [Operation.ChangeApiClient] = [Role.StateAdmin],
            [Operation.RotateApiClientWebhookKey] = [Role.StateAdmin],
            [Operation.RevokeApiClient] = [Role.StateAdmin],
            [Operation.MarkOwnNoticeRead] = Enum.GetValues<Role>(),
            [Operation.MarkNoticeOfDistrictARead] = [Role.DistrictA],
            [Operation.NoticeListSeesDistrictAsNotice] = [Role.DistrictA],
            [Operation.SetOwnEmailChoice] = Enum.GetValues<Role>(),
            [Operation.LinkRequestCountSeesA] = [Role.StateAdmin, Role.DistrictA],
            [Operation.ConfirmLinkRequestInA] = [Role.StateAdmin, Role.DistrictA],
            [Operation.ConfirmLinkRequestInB] = [Role.StateAdmin],
            [Operation.RefuseLinkRequestInA] = [Role.StateAdmin, Role.DistrictA],
            [Operation.RefuseLinkRequestInB] = [Role.StateAdmin],
            [Operation.LinkedAccountsSeesA] = [Role.StateAdmin, Role.DistrictA],
            [Operation.LinkedAccountsSeesB] = [Role.StateAdmin],
            [Operation.LinkedAccountsOfUserA3] = [Role.StateAdmin, Role.DistrictA],
            [Operation.UnlinkAccountInA] = [Role.StateAdmin, Role.DistrictA],
            [Operation.UnlinkAccountInB] = [Role.StateAdmin],
            [Operation.EndGrantAtGroupSchool] = [Role.StateAdmin, Role.DistrictA, Role.LocalA],
            [Operation.EndGrantAtSchoolOutsideGroup] = [Role.StateAdmin, Role.DistrictA],
            [Operation.EndGrantOfLeaA] = [Role.StateAdmin, Role.DistrictA],
            [Operation.EndGrantInB] = [Role.StateAdmin],
            [Operation.RenewGrantOfUserA1] = [Role.UserA1],
            [Operation.ExpiringListSeesA3Grant] = [Role.StateAdmin, Role.DistrictA],
            [Operation.NameDeputyForLocalA] = [Role.StateAdmin, Role.DistrictA, Role.LocalA],
            [Operation.ApproveDeputyInA] = [Role.StateAdmin, Role.DistrictA],
            [Operation.CancelDeputyOfLocalA] = [Role.StateAdmin, Role.DistrictA, Role.LocalA],
            [Operation.DeputyCandidatesInA] = [Role.StateAdmin, Role.DistrictA, Role.LocalA, Role.SupervisorA],
            [Operation.PersonAccessOfUserOutsideGroup] = [Role.StateAdmin, Role.DistrictA, Role.SupervisorA],
            [Operation.EndEmploymentOfUserInGroupSchool] = [Role.StateAdmin, Role.DistrictA, Role.LocalA],
            [Operation.EndEmploymentOfUserOutsideGroup] = [Role.StateAdmin, Role.DistrictA],
            [Operation.EndEmploymentOfUserInB] = [Role.StateAdmin],
            [Operation.CancelScheduledEndOfUserInGroupSchool] = [Role.StateAdmin, Role.DistrictA, Role.LocalA],
            [Operation.CancelScheduledEndOfUserOutsideGroup] = [Role.StateAdmin, Role.DistrictA],
            [Operation.CancelScheduledEndOfUserInB] = [Role.StateAdmin],
            [Operation.ChangeOfDutiesSeesA] = [Role.StateAdmin, Role.DistrictA, Role.LocalA],
            [Operation.ChangeOfDutiesSeesB] = [Role.StateAdmin],
            [Operation.KeepChangeOfDutiesInA] = [Role.StateAdmin, Role.DistrictA, Role.LocalA],
            [Operation.EndChangeOfDutiesInB] = [Role.StateAdmin],
            [Operation.OpenReviewOfA] = [Role.StateAdmin],
            [Operation.SetReviewCadenceOfA] = [Role.StateAdmin, Role.DistrictA],
            [Operation.SetReviewCadenceOfB] = [Role.StateAdmin],
            [Operation.ReviewListSeesA] = [Role.StateAdmin, Role.DistrictA, Role.LocalA, Role.SupervisorA],
            [Operation.ReviewOfA] = [Role.StateAdmin, Role.DistrictA, Role.LocalA, Role.SupervisorA],
            [Operation.ReviewItemsSeeA3] = [Role.StateAdmin, Role.DistrictA, Role.SupervisorA],
            [Operation.DecideReviewItemA1] = [Role.StateAdmin, Role.DistrictA, Role.LocalA],
            [Operation.DecideReviewItemA3] = [Role.StateAdmin, Role.DistrictA],
            [Operation.DecideReviewItemOfB] = [Role.StateAdmin],
            [Operation.SupervisorDecideIepItemOfA] = [Role.SupervisorA],
            [Operation.SignOffReviewOfA] = [Role.SupervisorA],
            [Operation.ReviewReportPdfOfA] = [Role.StateAdmin, Role.DistrictA, Role.LocalA, Role.SupervisorA],
            [Operation.ReviewReportCsvOfA] = [Role.StateAdmin, Role.DistrictA, Role.LocalA, Role.SupervisorA],
            [Operation.RecordSeparationExceptionInA] = [Role.StateAdmin],
            [Operation.EndSeparationExceptionInA] = [Role.StateAdmin],
            [Operation.ReadLocalDutiesOfA] = [Role.StateAdmin, Role.DistrictA, Role.LocalA, Role.SupervisorA],
            [Operation.ReadLocalDutiesOfB] = [Role.StateAdmin],
            [Operation.LocalDutiesStatusesSeeA] = [Role.StateAdmin, Role.DistrictA, Role.LocalA, Role.SupervisorA],
            [Operation.LocalDutiesStatusesSeeB] = [Role.StateAdmin],
            [Operation.RecordLocalPolicyOfA] = [Role.StateAdmin, Role.DistrictA],
            [Operation.RecordLocalPolicyOfB] = [Role.StateAdmin],
            [Operation.RecordRemovalProcedureOfA] = [Role.StateAdmin, Role.DistrictA],
            [Operation.RecordRemovalProcedureOfB] = [Role.StateAdmin],
            [Operation.AddTrainingSessionInA] = [Role.StateAdmin, Role.DistrictA],
            [Operation.AddTrainingSessionInB] = [Role.StateAdmin],
            [Operation.FindTrainingStaffInA] = [Role.StateAdmin, Role.DistrictA],
            [Operation.DownloadLocalPolicyOfA] = [Role.StateAdmin, Role.DistrictA, Role.LocalA, Role.SupervisorA],
            [Operation.DownloadLocalPolicyOfB] = [Role.StateAdmin],
            [Operation.TasPreviewResolvesStaffIdOfB] = [Role.StateAdmin],
            [Operation.TasCommitAddsTasRole] = [Role.StateAdmin],
            [Operation.MigratePersonOfBInA] = [],
            [Operation.AuthorizedUserListPdfOfAShowsA3Grant] = [Role.StateAdmin, Role.DistrictA, Role.SupervisorA],
            [Operation.AuthorizedUserListCsvOfAShowsA3Grant] = [Role.StateAdmin, Role.DistrictA, Role.SupervisorA],
            [Operation.AuthorizedUserListCsvOfAShowsA1Grant] = [Role.StateAdmin, Role.DistrictA, Role.LocalA, Role.SupervisorA],
        };
        var data = new TheoryData<Role, Operation, bool>();
        foreach (var role in Enum.GetValues<Role>())
        {
            foreach (var operation in Enum.GetValues<Operation>())
            {
                data.Add(role, operation, allowed[operation].Contains(role));
            }
        }
        return data;
    }

    [Theory]
    [MemberData(nameof(Matrix))]
    public async Task Operation_IsAllowedExactlyWithinScope(Role role, Operation operation, bool expectedAllowed)
    {
        await using var database = await TestDatabase.CreateAsync();
        var state = await TestState.CreateAsync(database);
        var caller = TestState.CallerFor(role switch
        {
            Role.StateAdmin => state.StateAdmin,
            Role.DistrictA => state.DistrictA,
            Role.LocalA => state.LocalA,
            Role.SupervisorA => state.SupervisorA,
            _ => state.UserA1,
        });

        var refusal = new RefusalSeen();
        var allowed = await AttemptAsync(database, state, caller, operation, refusal);

        Assert.Equal(expectedAllowed, allowed);
        // Every refusal is a security event in the audit log, with the refused person as its actor; nothing else is.
        await database.Get<SecurityEvents>().WriteQueuedRefusalsAsync();
        await using var db = await database.OpenAsync();
        var recorded = await db.AuditEvents.Where(e => e.Action == AuditAction.ScopeRefused).Select(e => new { e.ActorId, e.After }).ToListAsync();
        Assert.Equal(refusal.Message is null ? 0 : 1, recorded.Count);
        Assert.All(recorded, r => Assert.Equal(caller.StaffMemberId, r.ActorId));
        Assert.All(recorded, r => Assert.Contains(System.Text.Json.JsonSerializer.Serialize(refusal.Message), r.After));
    }

    /// <summary>The message of the refusal an attempt ended in, if it ended in one.</summary>
    private sealed class RefusalSeen
    {
        public string? Message { get; set; }
    }

    private static async Task<bool> AttemptAsync(TestDatabase database, TestState state, Caller caller, Operation operation, RefusalSeen refusal)
    {
        var schoolSystems = database.Get<SchoolSystemService>();
        var directory = database.Get<StaffDirectory>();
        var audit = database.Get<AuditLog>();
        var administrators = database.Get<StateAdministratorService>();
        var policy = new SecurityPolicyChange(new DateOnly(2026, 8, 1), true, new DateOnly(2026, 8, 15));
        var links = database.Get<LinkRequestService>();
        var apiClients = database.Get<ApiClientService>();
        var apiClient = new ApiClientEdit("eser-matrix", "eSER", ApiScopes.All, "http://127.0.0.1:9/hook");
        async Task<int> RegisteredApiClientAsync() =>
            (await apiClients.RegisterAsync(TestState.CallerFor(state.StateAdmin), apiClient with { ClientId = "eser-registered" })).Id;
        var notifications = database.Get<NotificationService>();
        async Task<long> NoticeForAsync(int recipientId)
        {
            await using var db = await database.OpenAsync();
            var notice = new Notification { RecipientId = recipientId, Kind = NotificationKind.RequestWaiting, Title = "A request waits.", CreatedAt = database.Clock.GetUtcNow() };
            db.Notifications.Add(notice);
            await db.SaveChangesAsync();
            return notice.Id;
        }
        async Task EndsInAWeekAsync(int grantId)
        {
            await using var db = await database.OpenAsync();
            var lastDay = DateOnly.FromDateTime(database.Clock.GetUtcNow().UtcDateTime).AddDays(7);
            await db.AccessGrants.Where(g => g.Id == grantId).ExecuteUpdateAsync(s => s.SetProperty(g => g.EndsOn, lastDay));
        }
        var deputies = database.Get<DeputyService>();
        DateOnly DeputyDay() => DateOnly.FromDateTime(database.Clock.GetUtcNow().UtcDateTime).AddDays(1);
        var duties = database.Get<LocalDutiesService>();
        var localPolicy = new LocalPolicyChange(new DateOnly(2026, 8, 1), true, new PolicyUpload("policy.pdf", "%PDF-1.7\n%%EOF\n"u8.ToArray()));
        var auditSearch = database.Get<AuditSearch>();
        async Task<bool> AuditLogShowsAsync(int? schoolSystemId)
        {
            // A change of the state administrator's in the school system (none: a statewide key date), then the caller's unfiltered read.
            if (schoolSystemId is int lea)
            {
                await PolicySetup.UpdateAsync(database, state, TestState.CallerFor(state.StateAdmin), lea, policy);
            }
            else
            {
                await database.Get<KeyDateService>().CreateAsync(TestState.CallerFor(state.StateAdmin), new KeyDateEdit(KeyDateKind.Other, "Office hours", new DateOnly(2026, 12, 15)));
            }
            return (await auditSearch.SearchAsync(caller, new AuditQuery(PageSize: 200))).Items.Any(e => e.SchoolSystemId == schoolSystemId && e.ActorName == state.StateAdmin.FullName);
        }
        try
        {
            switch (operation)
            {
                case Operation.UpdatePolicyOfA:
                    await schoolSystems.UpdateSecurityPolicyAsync(caller, state.LeaA.Id, 0, policy);
                    return true;
                case Operation.UpdatePolicyOfB:
                    await schoolSystems.UpdateSecurityPolicyAsync(caller, state.LeaB.Id, 0, policy);
                    return true;
                case Operation.ListSeesA:
                    return (await schoolSystems.ListAsync(caller, null, false, 0, 50)).Items.Any(s => s.Id == state.LeaA.Id);
                case Operation.ListSeesB:
                    return (await schoolSystems.ListAsync(caller, null, false, 0, 50)).Items.Any(s => s.Id == state.LeaB.Id);
                case Operation.ProfileOfUserInGroupSchool:
                    return (await directory.GetProfileAsync(caller, state.UserA1.Id)).Id == state.UserA1.Id;
                case Operation.ProfileOfUserOutsideGroup:
                    return (await directory.GetProfileAsync(caller, state.UserA3.Id)).Id == state.UserA3.Id;
                case Operation.ProfileOfUserInB:
                    return (await directory.GetProfileAsync(caller, state.UserB1.Id)).Id == state.UserB1.Id;
                case Operation.ReadAuditLog:
                    await auditSearch.SearchAsync(caller, new AuditQuery());
                    return true;
                case Operation.AuditLogSeesEventOfA:
                    return await AuditLogShowsAsync(state.LeaA.Id);
                case Operation.AuditLogSeesEventOfB:
                    return await AuditLogShowsAsync(state.LeaB.Id);
                case Operation.AuditLogSeesStatewideEvent:
                    return await AuditLogShowsAsync(null);
                case Operation.AuditLogFilteredToB:
                    await auditSearch.SearchAsync(caller, new AuditQuery(SchoolSystemId: state.LeaB.Id));
                    return true;
                case Operation.AuditLogFilteredToPersonOfB:
                    await auditSearch.SearchAsync(caller, new AuditQuery(PersonId: state.UserB1.Id));
                    return true;
                case Operation.ExportAuditLog:
                    await auditSearch.ExportCsvAsync(caller, new AuditQuery());
                    return true;
                case Operation.ExportAuditLogOfB:
                    await auditSearch.ExportCsvAsync(caller, new AuditQuery(SchoolSystemId: state.LeaB.Id));
                    return true;
                case Operation.PersonHistoryPdfOfUserA1:
                    return (await database.Get<PersonHistory>().RetrieveAsync(caller, state.UserA1.Id, PersonHistoryFormat.Pdf)).Content.Length > 0;
                case Operation.PersonHistoryCsvOfUserB1:
                    return (await database.Get<PersonHistory>().RetrieveAsync(caller, state.UserB1.Id, PersonHistoryFormat.Csv)).Content.Length > 0;
                case Operation.ListApiClients:
                    await apiClients.ListAsync(caller);
                    return true;
                case Operation.RegisterApiClient:
                    await apiClients.RegisterAsync(caller, apiClient);
                    return true;
                case Operation.ChangeApiClient:
                    await apiClients.UpdateAsync(caller, await RegisteredApiClientAsync(), apiClient with { Name = "eSER (renamed)" });
                    return true;
                case Operation.RotateApiClientWebhookKey:
                    await apiClients.RotateWebhookSecretAsync(caller, await RegisteredApiClientAsync());
                    return true;
                case Operation.RevokeApiClient:
                    await apiClients.RevokeAsync(caller, await RegisteredApiClientAsync(), "Replaced.");
                    return true;
                case Operation.MarkOwnNoticeRead:
                    await notifications.MarkReadAsync(caller, await NoticeForAsync(caller.StaffMemberId));
                    return await notifications.CountUnreadAsync(caller) == 0;
                case Operation.MarkNoticeOfDistrictARead:
                    await notifications.MarkReadAsync(caller, await NoticeForAsync(state.DistrictA.Id));
                    return true;
                case Operation.NoticeListSeesDistrictAsNotice:
                    var notice = await NoticeForAsync(state.DistrictA.Id);
                    return (await notifications.ListAsync(caller, 0, 50)).Items.Any(n => n.Id == notice);
                case Operation.SetOwnEmailChoice:
                    await notifications.SetChoiceAsync(caller, NotificationKind.RequestWaiting, NotificationDelivery.DailyDigest);
                    return (await notifications.GetChoicesAsync(caller)).Single(c => c.Kind == NotificationKind.RequestWaiting).Delivery == NotificationDelivery.DailyDigest;
                case Operation.OpenAuditLogPage:
                    await auditSearch.DemandReaderAsync(caller);
                    return true;
                case Operation.ReadSecurityEvents:
                    await auditSearch.SearchAsync(caller, new AuditQuery(Kind: "Security"));
                    return true;
                case Operation.VerifyAuditLog:
                    await audit.VerifyAsync(caller);
                    return true;
                case Operation.ListStateAdministrators:
                    await administrators.ListAsync(caller);
                    return true;
                case Operation.FindStateAdministratorCandidates:
                    await administrators.FindCandidatesAsync(caller, "user");
                    return true;
                case Operation.AddStateAdministrator:
                    await administrators.AddAsync(caller, state.UserA3.Id);
                    return true;
                case Operation.EndStateAdministrator:
                    // A second administrator, so that ending one is not refused as the last.
                    var second = await administrators.AddAsync(TestState.CallerFor(state.StateAdmin), state.UserA3.Id);
                    await administrators.EndAsync(caller, second, "No longer needed.");
                    return true;
                case Operation.PreviewStaffDirectoryOfA:
                    await database.Get<StaffDirectoryImportService>().PreviewAsync(caller, StaffFileOfA(state).ToStream());
                    return true;
                case Operation.CommitStaffDirectoryOfA:
                    return (await database.Get<StaffDirectoryImportService>().CommitAsync(caller, StaffFileOfA(state).ToStream())).Changed;
                case Operation.PreviewSchoolDirectory:
                    await database.Get<SchoolDirectoryImportService>().PreviewAsync(caller, SchoolFile().ToStream());
                    return true;
                case Operation.CommitSchoolDirectory:
                    return (await database.Get<SchoolDirectoryImportService>().CommitAsync(caller, SchoolFile().ToStream())).Changed;
                case Operation.DirectoryRecordOfUserInGroupSchool:
                    return (await database.Get<DirectoryRecords>().GetPersonAsync(caller, state.UserA1.Id)).StaffMemberId == state.UserA1.Id;
                case Operation.DirectoryRecordOfUserOutsideGroup:
                    return (await database.Get<DirectoryRecords>().GetPersonAsync(caller, state.UserA3.Id)).StaffMemberId == state.UserA3.Id;
                case Operation.DirectoryRecordOfUserInB:
                    return (await database.Get<DirectoryRecords>().GetPersonAsync(caller, state.UserB1.Id)).StaffMemberId == state.UserB1.Id;
                case Operation.DirectoryRecordByStaffIdOfUserOutsideGroup:
                    return (await database.Get<PersonRecordByStaffId>().GetPersonAsync(caller, state.UserA3.StaffId)).StaffMemberId == state.UserA3.Id;
                case Operation.DirectoryRecordByStaffIdOfUserInB:
                    return (await database.Get<PersonRecordByStaffId>().GetPersonAsync(caller, state.UserB1.StaffId)).StaffMemberId == state.UserB1.Id;
                case Operation.LinkRequestsSeesA:
                case Operation.LinkRequestsSeesB:
                {
                    var lea = operation == Operation.LinkRequestsSeesA ? state.LeaA : state.LeaB;
                    await LinkSetup.FileAsync(database, "someone." + lea.Code, lea, null);
                    return (await links.ReadPendingAsync(caller, 0, 50)).Items.Any(r => r.SchoolSystemId == lea.Id);
                }
                case Operation.LinkRequestCountSeesA:
                    await LinkSetup.FileAsync(database, "someone.a", state.LeaA, null);
                    return await links.CountPendingAsync(caller) > 0;
                case Operation.ConfirmLinkRequestInA:
                    await links.ConfirmAsync(caller, await LinkSetup.FileAsync(database, "user.a1", state.LeaA, state.UserA1.StaffId));
                    return true;
                case Operation.ConfirmLinkRequestInB:
                    await links.ConfirmAsync(caller, await LinkSetup.FileAsync(database, "user.b1", state.LeaB, state.UserB1.StaffId));
                    return true;
                case Operation.RefuseLinkRequestInA:
                    await links.RefuseAsync(caller, await LinkSetup.FileAsync(database, "user.a1", state.LeaA, null), "Not in our directory.");
                    return true;
                case Operation.RefuseLinkRequestInB:
                    await links.RefuseAsync(caller, await LinkSetup.FileAsync(database, "user.b1", state.LeaB, null), "Not in our directory.");
                    return true;
                case Operation.LinkedAccountsSeesA:
                    await TestPeople.SignInAsync(database.Services, state.UserA3.StaffId);
                    return (await links.ReadLinkedAccountsAsync(caller, null, 0, 50)).Items.Any(r => r.StaffMemberId == state.UserA3.Id);
                case Operation.LinkedAccountsSeesB:
                    await TestPeople.SignInAsync(database.Services, state.UserB1.StaffId);
                    return (await links.ReadLinkedAccountsAsync(caller, null, 0, 50)).Items.Any(r => r.StaffMemberId == state.UserB1.Id);
                case Operation.LinkedAccountsOfUserA3:
                    await TestPeople.SignInAsync(database.Services, state.UserA3.StaffId);
                    return (await links.GetLinkedAccountsOfAsync(caller, state.UserA3.Id)).Count == 1;
                case Operation.UnlinkAccountInA:
                    await links.UnlinkAsync(caller, await LinkSetup.LinkedIdentityAsync(database, state.UserA3));
                    return true;
                case Operation.UnlinkAccountInB:
                    await links.UnlinkAsync(caller, await LinkSetup.LinkedIdentityAsync(database, state.UserB1));
                    return true;
                case Operation.EndGrantAtGroupSchool:
                    await database.Get<GrantService>().EndAsync(caller, (await GrantSetup.AddAsync(database, state.UserA1, state.SchoolRole, state.LeaA, state.A1)).Id, "Duties changed.");
                    return true;
                case Operation.EndGrantAtSchoolOutsideGroup:
                    await database.Get<GrantService>().EndAsync(caller, (await GrantSetup.AddAsync(database, state.UserA3, state.SchoolRole, state.LeaA, state.A3)).Id, "Duties changed.");
                    return true;
                case Operation.EndGrantOfLeaA:
                    await database.Get<GrantService>().EndAsync(caller, (await GrantSetup.AddAsync(database, state.UserA1, state.LeaRole, state.LeaA, null)).Id, "Duties changed.");
                    return true;
                case Operation.EndGrantInB:
                    await database.Get<GrantService>().EndAsync(caller, (await GrantSetup.AddAsync(database, state.UserB1, state.SchoolRole, state.LeaB, state.B1)).Id, "Duties changed.");
                    return true;
                case Operation.RenewGrantOfUserA1:
                    {
                        var grant = await GrantSetup.AddAsync(database, state.UserA1, state.SchoolRole, state.LeaA, state.A1);
                        await EndsInAWeekAsync(grant.Id);
                        return await database.Get<EserSecurity.Core.AccessRequests.AccessRequestService>().RenewAsync(caller, grant.Id) > 0;
                    }
                case Operation.ExpiringListSeesA3Grant:
                    {
                        var grant = await GrantSetup.AddAsync(database, state.UserA3, state.SchoolRole, state.LeaA, state.A3);
                        await EndsInAWeekAsync(grant.Id);
                        return (await database.Get<GrantService>().GetExpiringAsync(caller, new ExpiringQuery(30))).Items.Any(r => r.Id == grant.Id);
                    }
                case Operation.NameDeputyForLocalA:
                    return await deputies.NameAsync(caller, new NewDeputy(state.LocalA.Id, state.UserA3.Id, state.LeaA.Id, DeputyDay(), DeputyDay().AddDays(2))) > 0;
                case Operation.ApproveDeputyInA:
                    {
                        // Named by the local coordinator for themselves, with a deputy who needs approval.
                        var id = await deputies.NameAsync(TestState.CallerFor(state.LocalA), new NewDeputy(state.LocalA.Id, state.UserA3.Id, state.LeaA.Id, DeputyDay(), DeputyDay()));
                        await deputies.ApproveAsync(caller, id);
                        return true;
                    }
                case Operation.CancelDeputyOfLocalA:
                    {
                        var id = await deputies.NameAsync(TestState.CallerFor(state.DistrictA), new NewDeputy(state.LocalA.Id, state.UserA3.Id, state.LeaA.Id, DeputyDay(), DeputyDay()));
                        await deputies.CancelAsync(caller, id);
                        return true;
                    }
                case Operation.DeputyCandidatesInA:
                    return (await deputies.FindCandidatesAsync(caller, state.LeaA.Id, "user")).Any(c => c.StaffMemberId == state.UserA3.Id);
                case Operation.PersonAccessOfUserOutsideGroup:
                    return (await database.Get<GrantService>().GetPersonAccessAsync(caller, state.UserA3.Id)).StaffMemberId == state.UserA3.Id;
                case Operation.EndEmploymentOfUserInGroupSchool:
                    return await EndEmploymentAsync(database, caller, state.UserA1);
                case Operation.EndEmploymentOfUserOutsideGroup:
                    return await EndEmploymentAsync(database, caller, state.UserA3);
                case Operation.EndEmploymentOfUserInB:
                    return await EndEmploymentAsync(database, caller, state.UserB1);
                case Operation.CancelScheduledEndOfUserInGroupSchool:
                    return await CancelScheduledEndAsync(database, state, caller, state.UserA1);
                case Operation.CancelScheduledEndOfUserOutsideGroup:
                    return await CancelScheduledEndAsync(database, state, caller, state.UserA3);
                case Operation.CancelScheduledEndOfUserInB:
                    return await CancelScheduledEndAsync(database, state, caller, state.UserB1);
                case Operation.ChangeOfDutiesSeesA:
                case Operation.ChangeOfDutiesSeesB:
                {
                    var item = await ListChangeOfDutiesAsync(database, state, operation == Operation.ChangeOfDutiesSeesA);
                    return (await database.Get<ChangeOfDutiesService>().ReadAsync(caller, 0, 50)).Items.Any(r => r.Id == item);
                }
                case Operation.KeepChangeOfDutiesInA:
                    await database.Get<ChangeOfDutiesService>().DecideAsync(caller, await ListChangeOfDutiesAsync(database, state, true), ChangeOfDutiesDecision.Keep);
                    return true;
                case Operation.EndChangeOfDutiesInB:
                    await database.Get<ChangeOfDutiesService>().DecideAsync(caller, await ListChangeOfDutiesAsync(database, state, false), ChangeOfDutiesDecision.End);
                    return true;
                case >= Operation.OpenReviewOfA and <= Operation.ReviewReportCsvOfA:
                    return await AttemptReviewAsync(database, state, caller, operation);
                case Operation.RecordSeparationExceptionInA:
                    await database.Get<CoordinatorService>().RecordSeparationExceptionAsync(caller, state.LeaA.Id, state.SupervisorA.Id, "Small office.");
                    return true;
                case Operation.EndSeparationExceptionInA:
                {
                    var coordinators = database.Get<CoordinatorService>();
                    var id = await coordinators.RecordSeparationExceptionAsync(TestState.CallerFor(state.StateAdmin), state.LeaA.Id, state.SupervisorA.Id, "Small office.");
                    await coordinators.EndSeparationExceptionAsync(caller, id, "Cover ended.");
                    return true;
                }
                case Operation.ReadLocalDutiesOfA:
                    return (await duties.GetAsync(caller, state.LeaA.Id)).SchoolSystemId == state.LeaA.Id;
                case Operation.ReadLocalDutiesOfB:
                    return (await duties.GetAsync(caller, state.LeaB.Id)).SchoolSystemId == state.LeaB.Id;
                case Operation.LocalDutiesStatusesSeeA:
                    return (await duties.GetStatusesAsync(caller)).ContainsKey(state.LeaA.Id);
                case Operation.LocalDutiesStatusesSeeB:
                    return (await duties.GetStatusesAsync(caller)).ContainsKey(state.LeaB.Id);
                case Operation.RecordLocalPolicyOfA:
                    await duties.RecordPolicyAsync(caller, state.LeaA.Id, localPolicy);
                    return true;
                case Operation.RecordLocalPolicyOfB:
                    await duties.RecordPolicyAsync(caller, state.LeaB.Id, localPolicy);
                    return true;
                case Operation.RecordRemovalProcedureOfA:
                    await duties.RecordRemovalProcedureAsync(caller, state.LeaA.Id, new DateOnly(2026, 8, 1));
                    return true;
                case Operation.RecordRemovalProcedureOfB:
                    await duties.RecordRemovalProcedureAsync(caller, state.LeaB.Id, new DateOnly(2026, 8, 1));
                    return true;
                case Operation.AddTrainingSessionInA:
                    await duties.AddTrainingSessionAsync(caller, state.LeaA.Id, new DateOnly(2026, 9, 1), "IEP security", [state.UserA1.Id]);
                    return true;
                case Operation.AddTrainingSessionInB:
                    await duties.AddTrainingSessionAsync(caller, state.LeaB.Id, new DateOnly(2026, 9, 1), "IEP security", [state.UserB1.Id]);
                    return true;
                case Operation.FindTrainingStaffInA:
                    await duties.FindStaffAsync(caller, state.LeaA.Id, "user");
                    return true;
                case Operation.DownloadLocalPolicyOfA:
                case Operation.DownloadLocalPolicyOfB:
                {
                    var lea = operation == Operation.DownloadLocalPolicyOfA ? state.LeaA : state.LeaB;
                    await duties.RecordPolicyAsync(TestState.CallerFor(state.StateAdmin), lea.Id, localPolicy);
                    return (await duties.GetPolicyDocumentAsync(caller, lea.Id)).Content.Length > 0;
                }
                case Operation.TasPreviewResolvesStaffIdOfB:
                {
                    var file = new TasReportCsv().Row(state.UserB1, "101", "101001", LegacyAccessState.TasDataEntry);
                    return (await database.Get<TasImportService>().PreviewAsync(caller, file.ToStream())).Count(TasImportCategory.OutOfScope) == 0;
                }
                case Operation.TasCommitAddsTasRole:
                {
                    var file = new TasReportCsv().Row(state.UserA1, "101", "101001", "SER Transition Planning");
                    return (await database.Get<TasImportService>().CommitAsync(caller, file.ToStream())).TasRolesAdded > 0;
                }
                case Operation.MigratePersonOfBInA:
                {
                    var tas = await LegacyAccessState.CreateAsync(database, state);
                    await LegacyAccessState.AddAsync(database, state.UserB1, state.LeaA, state.A1, tas.DataEntry);
                    var summary = await database.Get<LegacyMigrationService>()
                        .MigrateAsync(caller, state.LeaA.Id, [new MigrationItem(state.UserB1.Id, state.SchoolRole.Id, state.A1.Id)]);
                    return summary.Outcomes.Single().Result != MigrationResult.NotMigrated;
                }
                case Operation.AuthorizedUserListPdfOfAShowsA3Grant:
                    await GrantSetup.AddAsync(database, state.UserA3, state.SchoolRole, state.LeaA, state.A3);
                    return PdfText.All((await database.Get<DocumentService>().AuthorizedUserListPdfAsync(caller, state.LeaA.Id)).Content)
                        .Contains("alpha3, user", StringComparison.Ordinal);
                case Operation.AuthorizedUserListCsvOfAShowsA3Grant:
                    await GrantSetup.AddAsync(database, state.UserA3, state.SchoolRole, state.LeaA, state.A3);
                    return Encoding.UTF8.GetString((await database.Get<DocumentService>().AuthorizedUserListCsvAsync(caller, state.LeaA.Id)).Content)
                        .Contains(state.UserA3.StaffId, StringComparison.Ordinal);
                case Operation.AuthorizedUserListCsvOfAShowsA1Grant:
                    await GrantSetup.AddAsync(database, state.UserA1, state.SchoolRole, state.LeaA, state.A1);
                    return Encoding.UTF8.GetString((await database.Get<DocumentService>().AuthorizedUserListCsvAsync(caller, state.LeaA.Id)).Content)
                        .Contains(state.UserA1.StaffId, StringComparison.Ordinal);
                default:
                    throw new ArgumentOutOfRangeException(nameof(operation));
            }
        }
        catch (ScopeDeniedException ex)
        {
            refusal.Message = ex.Message;
            return false;
        }
    }

    /// <summary>Ends the person's employment; the caller's own record is refused for its own reason, not for scope.</summary>
    private static async Task<bool> EndEmploymentAsync(TestDatabase database, Caller caller, StaffMember person)
    {
        await database.Get<EmploymentService>().EndEmploymentAsync(caller, person.Id, DateOnly.FromDateTime(database.Clock.GetUtcNow().UtcDateTime));
        return true;
    }

    /// <summary>Calls off an end of the person's employment that the state administrator scheduled for next week.</summary>
    private static async Task<bool> CancelScheduledEndAsync(TestDatabase database, TestState state, Caller caller, StaffMember person)
    {
        var employment = database.Get<EmploymentService>();
        var nextWeek = DateOnly.FromDateTime(database.Clock.GetUtcNow().UtcDateTime).AddDays(7);
        await employment.EndEmploymentAsync(TestState.CallerFor(state.StateAdmin), person.Id, nextWeek);
        await employment.CancelScheduledEndAsync(caller, person.Id);
        return true;
    }

    /// <summary>
    /// A change-of-duties item in A (UserA1 moves from A1, in the local coordinator's group, to A3) or in B (UserB1
    /// gains B's second school and leaves B1), made by the state administrator's import; returns its id.
    /// </summary>
    private static async Task<int> ListChangeOfDutiesAsync(TestDatabase database, TestState state, bool inA)
    {
        var (person, lea, school, file) = inA
            ? (state.UserA1, state.LeaA, state.A1, DirectoryCsv.Staff().Person(state.UserA1, "101", "101003"))
            : (state.UserB1, state.LeaB, state.B1, DirectoryCsv.Staff().Person(state.UserB1, "202", "202002"));
        if (!inA)
        {
            await using var db = await database.OpenAsync();
            db.Schools.Add(new School { SiteCode = "202002", Name = "Bravo Middle", SchoolSystemId = state.LeaB.Id });
            await db.SaveChangesAsync();
        }
        var grant = await GrantSetup.AddAsync(database, person, state.SchoolRole, lea, school);
        await database.Get<StaffDirectoryImportService>().CommitAsync(TestState.CallerFor(state.StateAdmin), file.ToStream());
        await using var read = await database.OpenAsync();
        return await read.ChangeOfDutiesItems.Where(i => i.AccessGrantId == grant.Id).Select(i => i.Id).SingleAsync();
    }

    private static async Task<bool> AttemptReviewAsync(TestDatabase database, TestState state, Caller caller, Operation operation)
    {
        var reviews = database.Get<AccessReviewService>();
        var due = new DateOnly(2027, 1, 15);
        if (operation is Operation.OpenReviewOfA or Operation.SetReviewCadenceOfA or Operation.SetReviewCadenceOfB)
        {
            var lea = operation == Operation.SetReviewCadenceOfB ? state.LeaB : state.LeaA;
            if (operation == Operation.OpenReviewOfA)
            {
                return (await reviews.OpenAsync(caller, new OpenReviewPeriod([lea.Id], due))).Reviews == 1;
            }
            await reviews.SetCadenceAsync(caller, lea.Id, AccessReviewKind.Semiannual);
            return true;
        }
        var setup = await ReviewSetup.OpenForAAsync(database, state);
        var all = new ReviewItemQuery(false, null, null, false, 0, 100);
        switch (operation)
        {
            case Operation.ReviewListSeesA:
                return (await reviews.ReadReviewsAsync(caller, false, 0, 50)).Items.Any(r => r.Id == setup.ReviewId);
            case Operation.ReviewOfA:
                return (await reviews.GetReviewAsync(caller, setup.ReviewId)).Review.Id == setup.ReviewId;
            case Operation.ReviewItemsSeeA3:
                return (await reviews.ReadItemsAsync(caller, setup.ReviewId, all)).Items.Any(i => i.Id == setup.ItemA3);
            case Operation.DecideReviewItemA1:
                return (await reviews.DecideAsync(caller, setup.ItemA1, ReviewDecision.Keep, null)).Succeeded;
            case Operation.DecideReviewItemA3:
                return (await reviews.DecideAsync(caller, setup.ItemA3, ReviewDecision.End, "Left.")).Succeeded;
            case Operation.DecideReviewItemOfB:
                await reviews.OpenAsync(TestState.CallerFor(state.StateAdmin), new OpenReviewPeriod([state.LeaB.Id], due));
                await using (var db = await database.OpenAsync())
                {
                    var itemOfB = await db.AccessReviewItems.Where(i => i.AccessGrant!.SchoolSystemId == state.LeaB.Id).Select(i => i.Id).SingleAsync();
                    return (await reviews.DecideAsync(caller, itemOfB, ReviewDecision.Keep, null)).Succeeded;
                }
            case Operation.SupervisorDecideIepItemOfA:
                return (await reviews.DecideAsSupervisorAsync(caller, setup.ItemIepA1, ReviewDecision.Keep, null)).Succeeded;
            case Operation.SignOffReviewOfA:
                await AccessReviewServiceTests.DecideAllAsync(reviews, state, setup);
                return (await reviews.SignOffAsync(caller, setup.ReviewId, caller.DisplayName, 4)).Reviewed == 4;
            case Operation.ReviewReportPdfOfA:
                return (await reviews.ReportPdfAsync(caller, setup.ReviewId)).Content.Length > 0;
            case Operation.ReviewReportCsvOfA:
                return (await reviews.ReportCsvAsync(caller, setup.ReviewId)).Content.Length > 0;
            default:
                throw new ArgumentOutOfRangeException(nameof(operation));
        }
    }

    private static DirectoryCsv StaffFileOfA(TestState state) =>
        DirectoryCsv.Staff().Person(state.UserA3, "101", "101003", position: "Lead teacher");

    private static DirectoryCsv SchoolFile() => DirectoryCsv.Schools().Row("101", "Alpha Parish Schools", "101009", "Alpha New", "Open");

    [Fact]
    public async Task PersonWhoseEmploymentEnded_LosesEveryScope()
    {
        await using var database = await TestDatabase.CreateAsync();
        var state = await TestState.CreateAsync(database);
        await using (var db = await database.OpenAsync())
        {
            var person = await db.StaffMembers.FindAsync(state.DistrictA.Id);
            person!.EmploymentStatus = EmploymentStatus.Ended;
            await db.SaveChangesAsync();
        }

        var scope = await database.Get<ScopeService>().GetScopeAsync(TestState.CallerFor(state.DistrictA));

        Assert.False(scope.CanAdministerSchoolSystem(state.LeaA.Id));
        Assert.False(scope.IsCoordinator);
    }

    [Fact]
    public async Task AssignmentEndedYesterday_NoLongerGivesScope()
    {
        await using var database = await TestDatabase.CreateAsync();
        var state = await TestState.CreateAsync(database);
        await using (var db = await database.OpenAsync())
        {
            var assignment = db.CoordinatorAssignments.Single(a => a.StaffMemberId == state.LocalA.Id);
            assignment.EndsOn = DateOnly.FromDateTime(database.Clock.GetUtcNow().UtcDateTime);
            await db.SaveChangesAsync();
        }

        var scope = await database.Get<ScopeService>().GetScopeAsync(TestState.CallerFor(state.LocalA));

        Assert.Empty(scope.LocalSchoolIds);
        await Assert.ThrowsAsync<ScopeDeniedException>(() => database.Get<StaffDirectory>().GetProfileAsync(TestState.CallerFor(state.LocalA), state.UserA1.Id));
    }

    /// <summary>
    /// The first directory import acts as the system with statewide scope, so it is open only while the database has no
    /// active state administrator: on a state that has one, every directory operation refuses it and writes nothing.
    /// </summary>
    [Fact]
    public async Task FirstDirectoryImport_WithAStateAdministrator_IsRefusedForEveryDirectoryOperation()
    {
        await using var database = await TestDatabase.CreateAsync();
        var state = await TestState.CreateAsync(database);
        var staff = database.Get<StaffDirectoryImportService>();
        var schools = database.Get<SchoolDirectoryImportService>();
        var system = DirectoryImporter.FirstImport;

        await Assert.ThrowsAsync<FirstDirectoryImportClosedException>(() => staff.PreviewAsync(system, StaffFileOfA(state).ToStream()));
        await Assert.ThrowsAsync<FirstDirectoryImportClosedException>(() => staff.CommitAsync(system, StaffFileOfA(state).ToStream()));
        await Assert.ThrowsAsync<FirstDirectoryImportClosedException>(() => schools.PreviewAsync(system, SchoolFile().ToStream()));
        await Assert.ThrowsAsync<FirstDirectoryImportClosedException>(() => schools.CommitAsync(system, SchoolFile().ToStream()));

        await using var db = await database.OpenAsync();
        Assert.Empty(db.DirectoryImports);
    }

    [Fact]
    public async Task HomeFigures_CountOnlyRequestsRoutedToTheCoordinator()
    {
        await using var database = await TestDatabase.CreateAsync();
        var state = await TestState.CreateAsync(database);
        var now = database.Clock.GetUtcNow();
        await TestState.AddPendingRequestAsync(database, state.UserA1, state.SchoolRole, state.LeaA, state.A1, now.AddDays(-1));
        await TestState.AddPendingRequestAsync(database, state.UserA3, state.SchoolRole, state.LeaA, state.A3, now.AddDays(-20));
        await TestState.AddPendingRequestAsync(database, state.UserA1, state.LeaRole, state.LeaA, null, now.AddDays(-2));
        await TestState.AddPendingRequestAsync(database, state.UserB1, state.SchoolRole, state.LeaB, state.B1, now.AddDays(-3));

        var home = database.Get<HomeService>();
        var district = (await home.GetSummaryAsync(TestState.CallerFor(state.DistrictA))).Coordinator!;
        var local = (await home.GetSummaryAsync(TestState.CallerFor(state.LocalA))).Coordinator!;
        var user = await home.GetSummaryAsync(TestState.CallerFor(state.UserA1));

        Assert.Equal(3, district.PendingRequests);
        Assert.Equal(1, district.StaleRequests);
        Assert.Equal(3, district.SchoolsCovered);
        Assert.Equal(1, district.SchoolsCoveredByDistrictOnly);
        // The local coordinator sees the A1 request only: A3 is outside the group and the school-system request goes to districts.
        Assert.Equal(1, local.PendingRequests);
        Assert.Equal(2, local.SchoolsCovered);
        Assert.Null(user.Coordinator);
        Assert.Null(user.Statewide);
        Assert.Equal(2, user.Personal.OpenRequests.Count);
    }
}
