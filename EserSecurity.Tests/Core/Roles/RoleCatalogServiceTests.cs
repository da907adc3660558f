using EserSecurity.Core.AccessRequests;
using EserSecurity.Core.Changes;
using EserSecurity.Core.Grants;
using EserSecurity.Core.KeyDates;
using EserSecurity.Core.Roles;
using EserSecurity.Core.Security;
using EserSecurity.Core.Tas;
using EserSecurity.Tests.Support;
using Microsoft.EntityFrameworkCore;

namespace EserSecurity.Tests.Core.Roles;

public sealed class RoleCatalogServiceTests
{
    private static async Task<(TestDatabase Db, TestState State, LegacyAccessState Tas, RoleCatalogService Service, Caller Admin)> ArrangeAsync()
    {
        var db = await TestDatabase.CreateAsync();
        var state = await TestState.CreateAsync(db);
        var tas = await LegacyAccessState.CreateAsync(db, state);
        return (db, state, tas, db.Get<RoleCatalogService>(), TestState.CallerFor(state.StateAdmin));
    }

    private static EserRoleEdit NewRole(string code = "TRANSITION", string name = "Transition Planner", RoleLevel level = RoleLevel.School, bool iep = false) =>
        new(code, name, "Plans transitions after high school.", ["View student records", "Edit transition plans"], iep, level);

    private static async Task GrantAsync(TestDatabase database, TestState state, EserRole role)
    {
        await using var db = await database.OpenAsync();
        db.AccessGrants.Add(new AccessGrant
        {
            StaffMemberId = state.UserA1.Id, EserRoleId = role.Id, SchoolSystemId = state.LeaA.Id,
            SchoolId = role.Level == RoleLevel.School ? state.A1.Id : null, Origin = GrantOrigin.Request, GrantedAt = database.Clock.GetUtcNow(),
        });
        await db.SaveChangesAsync();
    }

    [Fact]
    public async Task CreateRole_Valid_IsStoredNormalisedAuditedAndListed()
    {
        var (database, _, _, service, admin) = await ArrangeAsync();
        await using var _ = database;
        using var recorder = new ChangeRecorder(database.Get<IAccessChangeFeed>());

        var id = await service.CreateRoleAsync(admin, NewRole(code: " transition ") with { Permissions = [" View student records ", "Edit transition plans", ""] });

        var row = (await service.ListRolesAsync(admin)).Single(r => r.Id == id);
        Assert.Equal("TRANSITION", row.Code);
        Assert.Equal(["View student records", "Edit transition plans"], row.Permissions);
        Assert.True(row.CanRemove);
        await using var db = await database.OpenAsync();
        Assert.Equal("View student records; Edit transition plans", (await db.EserRoles.SingleAsync(r => r.Id == id)).Permissions);
        Assert.Equal("EserRole.Created", (await db.AuditEvents.SingleAsync()).Action);
        await recorder.WaitForAsync(c => c.Kind == AccessChangeKind.RoleCatalogChanged && c.SchoolSystemId == null);
    }

    [Fact]
    public async Task ALongestDuration_IsStoredListedAndAudited_AndOneOutOfRangeIsRefused()
    {
        var (database, _, _, service, admin) = await ArrangeAsync();
        await using var _ = database;

        var id = await service.CreateRoleAsync(admin, NewRole() with { MaxDurationDays = 90 });
        var row = (await service.ListRolesAsync(admin)).Single(r => r.Id == id);
        await service.UpdateRoleAsync(admin, id, row.Version, NewRole() with { MaxDurationDays = null });
        var refused = await Assert.ThrowsAsync<RoleCatalogRefusedException>(() => service.CreateRoleAsync(admin, NewRole(code: "LONG") with { MaxDurationDays = 0 }));

        Assert.Equal(90, row.MaxDurationDays);
        Assert.Null((await service.ListRolesAsync(admin)).Single(r => r.Id == id).MaxDurationDays);
        Assert.Equal("The longest duration is 1 to 3650 days, or empty for no limit.", refused.Message);
        await using var db = await database.OpenAsync();
        var updated = await db.AuditEvents.SingleAsync(e => e.Action == "EserRole.Updated");
        Assert.Contains("\"maxDurationDays\":90", updated.Before);
        Assert.Contains("\"maxDurationDays\":null", updated.After);
    }

    [Fact]
    public async Task CreateRole_Invalid_IsRefusedNamingEveryProblem()
    {
        var (database, _, _, service, admin) = await ArrangeAsync();
        await using var _ = database;

        var error = await Assert.ThrowsAsync<RoleCatalogRefusedException>(() =>
            service.CreateRoleAsync(admin, new EserRoleEdit("bad code!", "", "Does things.", ["Read", "read"], false, RoleLevel.School)));

        Assert.Contains("code 'BAD CODE!' must be", error.Message);
        Assert.Contains("name is required", error.Message);
        Assert.Contains("'Read' is listed twice", error.Message);
    }

    [Fact]
    public async Task CreateRole_DuplicateCodeOrName_IsRefused()
    {
        var (database, state, _, service, admin) = await ArrangeAsync();
        await using var _ = database;

        var code = await Assert.ThrowsAsync<RoleCatalogRefusedException>(() => service.CreateRoleAsync(admin, NewRole(code: "data-entry")));
        var name = await Assert.ThrowsAsync<RoleCatalogRefusedException>(() => service.CreateRoleAsync(admin, NewRole(name: state.SchoolRole.Name.ToUpperInvariant())));

        Assert.Contains("code DATA-ENTRY", code.Message);
        Assert.Contains("already called", name.Message);
    }

    [Fact]
    public async Task EveryCatalogChange_ByAnyoneButAStateAdministrator_IsRefused()
    {
        var (database, state, tas, service, _) = await ArrangeAsync();
        await using var _ = database;
        var coordinator = TestState.CallerFor(state.DistrictA);

        await Assert.ThrowsAsync<ScopeDeniedException>(() => service.ListRolesAsync(coordinator));
        await Assert.ThrowsAsync<ScopeDeniedException>(() => service.CreateRoleAsync(coordinator, NewRole()));
        await Assert.ThrowsAsync<ScopeDeniedException>(() => service.RetireRoleAsync(coordinator, state.SchoolRole.Id));
        await Assert.ThrowsAsync<ScopeDeniedException>(() => service.MapTasRoleAsync(coordinator, tas.Gifted.Id, state.SchoolRole.Id, "View student records"));
    }

    [Fact]
    public async Task RemoveRole_WithGrants_IsRefusedSayingRetireInstead_ThenRetireWorks()
    {
        var (database, state, _, service, admin) = await ArrangeAsync();
        await using var _ = database;
        var id = await service.CreateRoleAsync(admin, NewRole());
        await GrantAsync(database, state, new EserRole { Id = id, Code = "", Name = "", Description = "", Permissions = "", Level = RoleLevel.School });

        var error = await Assert.ThrowsAsync<RoleCatalogRefusedException>(() => service.RemoveRoleAsync(admin, id));
        await service.RetireRoleAsync(admin, id);

        Assert.Contains("retire it instead", error.Message);
        var row = (await service.ListRolesAsync(admin)).Single(r => r.Id == id);
        Assert.True(row.IsRetired);
        Assert.Equal(1, row.ActiveGrantCount);
        Assert.False(row.CanRemove);
        var requestable = await database.Get<AccessRequestService>().GetRequestOptionsAsync(TestState.CallerFor(state.UserA3));
        Assert.DoesNotContain(requestable.Roles, r => r.Id == id);
        await using var db = await database.OpenAsync();
        Assert.Equal(["EserRole.Created", "EserRole.Retired"], await db.AuditEvents.OrderBy(e => e.Sequence).Select(e => e.Action).ToListAsync());
    }

    [Fact]
    public async Task RemoveRole_NamedByARequest_IsRefused()
    {
        var (database, state, _, service, admin) = await ArrangeAsync();
        await using var _ = database;
        var id = await service.CreateRoleAsync(admin, NewRole());
        var role = new EserRole { Id = id, Code = "", Name = "", Description = "", Permissions = "", Level = RoleLevel.School };
        await TestState.AddPendingRequestAsync(database, state.UserA1, role, state.LeaA, state.A1, database.Clock.GetUtcNow());

        var error = await Assert.ThrowsAsync<RoleCatalogRefusedException>(() => service.RemoveRoleAsync(admin, id));

        Assert.Contains("1 request", error.Message);
    }

    [Fact]
    public async Task RemoveRole_Unused_RemovesItAndAuditsWhatItWas()
    {
        var (database, _, _, service, admin) = await ArrangeAsync();
        await using var _ = database;
        var id = await service.CreateRoleAsync(admin, NewRole());

        await service.RemoveRoleAsync(admin, id);

        await using var db = await database.OpenAsync();
        Assert.False(await db.EserRoles.AnyAsync(r => r.Id == id));
        var removed = await db.AuditEvents.OrderBy(e => e.Sequence).LastAsync();
        Assert.Equal("EserRole.Removed", removed.Action);
        Assert.Contains("Transition Planner", removed.Before);
    }

    [Fact]
    public async Task RetireAndRestore_FlipTheRoleAndAreAudited()
    {
        var (database, state, _, service, admin) = await ArrangeAsync();
        await using var _ = database;

        await service.RetireRoleAsync(admin, state.LeaRole.Id);
        await service.RetireRoleAsync(admin, state.LeaRole.Id);
        await service.RestoreRoleAsync(admin, state.LeaRole.Id);

        Assert.False((await service.ListRolesAsync(admin)).Single(r => r.Id == state.LeaRole.Id).IsRetired);
        await using var db = await database.OpenAsync();
        Assert.Equal(["EserRole.Retired", "EserRole.Restored"], await db.AuditEvents.OrderBy(e => e.Sequence).Select(e => e.Action).ToListAsync());
    }

    [Theory]
    [InlineData(false, RoleLevel.SchoolSystem, "its level cannot change")]
    [InlineData(true, RoleLevel.School, "without a supervisor's endorsement")]
    public async Task UpdateRole_ChangingWhatAHeldRoleMeans_IsRefused(bool grantsIepForms, RoleLevel level, string message)
    {
        var (database, state, _, service, admin) = await ArrangeAsync();
        await using var _ = database;
        await GrantAsync(database, state, state.SchoolRole);

        var error = await Assert.ThrowsAsync<RoleCatalogRefusedException>(() => service.UpdateRoleAsync(admin, state.SchoolRole.Id, 0,
            new EserRoleEdit(state.SchoolRole.Code, state.SchoolRole.Name, "d", ["View student records", "Edit student records"], grantsIepForms, level)));

        Assert.Contains(message, error.Message);
        Assert.Equal((RoleLevel.School, false), (await service.ListRolesAsync(admin)).Where(r => r.Id == state.SchoolRole.Id).Select(r => (r.Level, r.GrantsIepForms)).Single());
    }

    [Fact]
    public async Task UpdateRole_DroppingAPermissionATasRoleMapsTo_IsRefusedNamingIt()
    {
        var (database, state, _, service, admin) = await ArrangeAsync();
        await using var _ = database;

        var error = await Assert.ThrowsAsync<RoleCatalogRefusedException>(() => service.UpdateRoleAsync(admin, state.SchoolRole.Id, 0,
            new EserRoleEdit(state.SchoolRole.Code, state.SchoolRole.Name, "d", ["View student records"], false, RoleLevel.School)));

        Assert.Contains($"'{LegacyAccessState.TasDataEntry}' maps to 'Edit student records'", error.Message);
    }

    [Fact]
    public async Task UpdateRole_Valid_IsStoredWithBeforeAndAfterInTheAudit()
    {
        var (database, state, _, service, admin) = await ArrangeAsync();
        await using var _ = database;

        await service.UpdateRoleAsync(admin, state.LeaRole.Id, 0,
            new EserRoleEdit("LEA-REPORTS", "LEA Reports and Exports", "Runs and exports reports.", ["Run LEA reports", "Export state reports"], false, RoleLevel.SchoolSystem));

        var row = (await service.ListRolesAsync(admin)).Single(r => r.Id == state.LeaRole.Id);
        Assert.Equal("LEA Reports and Exports", row.Name);
        Assert.Equal([LegacyAccessState.TasReports], row.MappedTasRoles);
        await using var db = await database.OpenAsync();
        var audit = await db.AuditEvents.SingleAsync();
        Assert.Contains("\"name\":\"LEA Reports\"", audit.Before);
        Assert.Contains("Export state reports", audit.After);
    }

    [Fact]
    public async Task MapTasRole_ToOneOfTheRolesPermissions_IsStoredInTheRolesSpellingAndAudited()
    {
        var (database, state, tas, service, admin) = await ArrangeAsync();
        await using var _ = database;

        await service.MapTasRoleAsync(admin, tas.Gifted.Id, state.SchoolRole.Id, " view STUDENT records ");

        var row = (await service.ListTasRolesAsync(admin)).Single(t => t.Id == tas.Gifted.Id);
        Assert.True(row.IsMapped);
        Assert.Equal(state.SchoolRole.Name, row.EserRoleName);
        Assert.Equal("View student records", row.EserPermission);
        await using var db = await database.OpenAsync();
        var audit = await db.AuditEvents.SingleAsync();
        Assert.Equal("TasRole.Mapped", audit.Action);
        Assert.Contains("\"role\":null", audit.Before);
    }

    [Fact]
    public async Task MapTasRole_ToAPermissionTheRoleLacks_IsRefusedListingItsPermissions()
    {
        var (database, state, tas, service, admin) = await ArrangeAsync();
        await using var _ = database;

        var error = await Assert.ThrowsAsync<RoleCatalogRefusedException>(() => service.MapTasRoleAsync(admin, tas.Gifted.Id, state.LeaRole.Id, "Write IEP forms"));

        Assert.Contains("Choose one of: Run LEA reports", error.Message);
        Assert.False((await service.ListTasRolesAsync(admin)).Single(t => t.Id == tas.Gifted.Id).IsMapped);
    }

    [Fact]
    public async Task MapTasRole_ToARetiredRole_IsRefused()
    {
        var (database, state, tas, service, admin) = await ArrangeAsync();
        await using var _ = database;
        await service.RetireRoleAsync(admin, state.LeaRole.Id);

        await Assert.ThrowsAsync<RoleCatalogRefusedException>(() => service.MapTasRoleAsync(admin, tas.Gifted.Id, state.LeaRole.Id, "Run LEA reports"));
    }

    [Fact]
    public async Task UnmapTasRole_ListsItAmongTheUnmapped()
    {
        var (database, state, tas, service, admin) = await ArrangeAsync();
        await using var _ = database;
        await LegacyAccessState.AddAsync(database, state.UserA1, state.LeaA, null, tas.Reports);

        await service.UnmapTasRoleAsync(admin, tas.Reports.Id);

        var unmapped = await service.ListTasRolesAsync(admin, unmappedOnly: true);
        Assert.Equal([LegacyAccessState.TasGifted, LegacyAccessState.TasReports], unmapped.Select(t => t.Name));
        Assert.Equal(1, unmapped.Single(t => t.Name == LegacyAccessState.TasReports).LegacyAccessCount);
        await using var db = await database.OpenAsync();
        Assert.Equal("TasRole.Unmapped", (await db.AuditEvents.SingleAsync()).Action);
    }

    [Fact]
    public async Task RemoveRole_ThatATasRoleMapsTo_IsRefusedNamingTheTasRole()
    {
        var (database, state, _, service, admin) = await ArrangeAsync();
        await using var _ = database;

        var error = await Assert.ThrowsAsync<RoleCatalogRefusedException>(() => service.RemoveRoleAsync(admin, state.LeaRole.Id));

        Assert.Contains($"'{LegacyAccessState.TasReports}' maps to LEA Reports", error.Message);
    }

    [Fact]
    public async Task CatalogChanges_ConcernBothLists_AnImportOnlyTheTasRoles_AndKeyDatesNeither()
    {
        var (database, state, _, service, admin) = await ArrangeAsync();
        await using var _ = database;
        using var recorder = new ChangeRecorder(database.Get<IAccessChangeFeed>());

        await service.CreateRoleAsync(admin, NewRole());
        await database.Get<TasImportService>().CommitAsync(admin,
            new TasReportCsv().Row(state.UserA1, "101", "101001", LegacyAccessState.TasDataEntry).ToStream());
        await database.Get<KeyDateService>().CreateAsync(admin, new KeyDateEdit(KeyDateKind.GoLive, "Go-live", new DateOnly(2027, 1, 4)));

        var catalog = await recorder.WaitForAsync(c => c.Kind == AccessChangeKind.RoleCatalogChanged);
        var imported = await recorder.WaitForAsync(c => c.Kind == AccessChangeKind.LegacyAccessImported);
        var calendar = await recorder.WaitForAsync(c => c.Kind == AccessChangeKind.KeyDatesChanged);
        Assert.Equal((true, true), (RoleCatalogService.ConcernsRoles(catalog), RoleCatalogService.ConcernsTasRoles(catalog)));
        Assert.Equal((false, true), (RoleCatalogService.ConcernsRoles(imported), RoleCatalogService.ConcernsTasRoles(imported)));
        Assert.Equal((false, false), (RoleCatalogService.ConcernsRoles(calendar), RoleCatalogService.ConcernsTasRoles(calendar)));
    }
}
