using EserSecurity.Core.Administration;
using EserSecurity.Core.Assurance;
using EserSecurity.Core.KeyDates;
using EserSecurity.Core.Roles;
using EserSecurity.Core.SchoolSystems;
using EserSecurity.Core.Security;
using EserSecurity.Tests.Support;
using Microsoft.EntityFrameworkCore;

namespace EserSecurity.Tests.Core.Audit;

/// <summary>
/// Two people edit the same role, key date, statement draft or security policy from the same version: the first save
/// is stored, the second is refused naming who changed it and when, and nothing of the second is written. Read again,
/// the second save goes through.
/// </summary>
public sealed class EditConflictTests
{
    private const string ChangedByFirst = "state admin changed";

    /// <summary>A second state administrator, user alpha3, made by the first.</summary>
    private static async Task<Caller> SecondAdministratorAsync(TestDatabase database, TestState state)
    {
        await database.Get<StateAdministratorService>().AddAsync(TestState.CallerFor(state.StateAdmin), state.UserA3.Id);
        return TestState.CallerFor(state.UserA3);
    }

    [Fact]
    public async Task Role_SecondEditorFromTheSameVersion_IsRefusedNamingTheFirst()
    {
        await using var database = await TestDatabase.CreateAsync();
        var state = await TestState.CreateAsync(database);
        var (first, second) = (TestState.CallerFor(state.StateAdmin), await SecondAdministratorAsync(database, state));
        var catalog = database.Get<RoleCatalogService>();
        var read = (await catalog.ListRolesAsync(second)).Single(r => r.Id == state.LeaRole.Id);
        EserRoleEdit Edit(string name) => new(read.Code, name, read.Description, read.Permissions, read.GrantsIepForms, read.Level);

        await catalog.UpdateRoleAsync(first, read.Id, read.Version, Edit("LEA Reports (first)"));
        var refused = await Assert.ThrowsAsync<RoleCatalogRefusedException>(() => catalog.UpdateRoleAsync(second, read.Id, read.Version, Edit("LEA Reports (second)")));

        Assert.Equal($"{ChangedByFirst} this role on November 28, 2026 at 3:00 PM UTC, after you opened it. Reload to see their change, then make yours again.",
            refused.Message);
        var now = (await catalog.ListRolesAsync(second)).Single(r => r.Id == read.Id);
        Assert.Equal("LEA Reports (first)", now.Name);
        Assert.True(now.Version > read.Version);
        await catalog.UpdateRoleAsync(second, read.Id, now.Version, Edit("LEA Reports (second)"));
        Assert.Equal("LEA Reports (second)", (await catalog.ListRolesAsync(second)).Single(r => r.Id == read.Id).Name);
    }

    [Fact]
    public async Task KeyDate_SecondEditor_IsRefused_AlsoAfterTheFirstRemovedIt()
    {
        await using var database = await TestDatabase.CreateAsync();
        var state = await TestState.CreateAsync(database);
        var (first, second) = (TestState.CallerFor(state.StateAdmin), await SecondAdministratorAsync(database, state));
        var keyDates = database.Get<KeyDateService>();
        var id = await keyDates.CreateAsync(first, new KeyDateEdit(KeyDateKind.QaSession, "Q&A", new DateOnly(2026, 12, 8), new TimeOnly(15, 0)));
        var read = Assert.Single(await keyDates.ListAsync());

        await keyDates.UpdateAsync(first, id, read.Version, new KeyDateEdit(KeyDateKind.QaSession, "Q&A moved", new DateOnly(2026, 12, 9), new TimeOnly(15, 0)));
        var refused = await Assert.ThrowsAsync<KeyDateRefusedException>(() =>
            keyDates.UpdateAsync(second, id, read.Version, new KeyDateEdit(KeyDateKind.QaSession, "Q&A renamed", new DateOnly(2026, 12, 8), new TimeOnly(15, 0))));

        Assert.StartsWith($"{ChangedByFirst} this key date on", refused.Message);
        Assert.Equal(("Q&A moved", new DateOnly(2026, 12, 9)), (await keyDates.ListAsync()).Select(k => (k.Title, k.On)).Single());

        var beforeRemoval = Assert.Single(await keyDates.ListAsync()).Version;
        await keyDates.RemoveAsync(first, id);
        await Assert.ThrowsAsync<KeyDateRefusedException>(() =>
            keyDates.UpdateAsync(second, id, beforeRemoval, new KeyDateEdit(KeyDateKind.QaSession, "Q&A back", new DateOnly(2026, 12, 8), new TimeOnly(15, 0))));
        Assert.Empty(await keyDates.ListAsync());
    }

    [Fact]
    public async Task StatementDraft_EachSaveReturnsTheNextVersion_AndAStaleSaveIsRefused()
    {
        await using var database = await TestDatabase.CreateAsync();
        var state = await TestState.CreateAsync(database);
        var (first, second) = (TestState.CallerFor(state.StateAdmin), await SecondAdministratorAsync(database, state));
        var statements = database.Get<StatementService>();
        var id = await statements.CreateDraftAsync(first, new SchoolYear(2026), new StatementContent("Statement", "Text.", "I agree."));
        var read = (await statements.GetVersionAsync(second, id)).Version;

        var afterFirst = await statements.UpdateDraftAsync(first, id, read, new StatementContent("Statement", "First text.", "I agree."));
        var afterAgain = await statements.UpdateDraftAsync(first, id, afterFirst, new StatementContent("Statement", "First text, again.", "I agree."));
        var refused = await Assert.ThrowsAsync<AssuranceRefusedException>(() =>
            statements.UpdateDraftAsync(second, id, read, new StatementContent("Statement", "Second text.", "I agree.")));

        Assert.True(afterAgain > afterFirst && afterFirst > read);
        Assert.Equal(afterAgain, (await statements.GetVersionAsync(second, id)).Version);
        Assert.StartsWith($"{ChangedByFirst} this draft on", refused.Message);
        Assert.Equal("First text, again.", (await statements.GetVersionAsync(second, id)).Body);
    }

    [Fact]
    public async Task SecurityPolicy_SecondEditor_IsRefused_WhileOtherChangesToTheSchoolSystemDoNotCount()
    {
        await using var database = await TestDatabase.CreateAsync();
        var state = await TestState.CreateAsync(database);
        var schoolSystems = database.Get<SchoolSystemService>();
        var read = await PolicySetup.VersionAsync(database, state, state.LeaA.Id);
        // Another kind of change to the school system (its review cadence) is no change of its policy.
        await database.Get<EserSecurity.Core.Reviews.AccessReviewService>().SetCadenceAsync(
            TestState.CallerFor(state.StateAdmin), state.LeaA.Id, EserSecurity.Core.Reviews.AccessReviewKind.Semiannual);

        await schoolSystems.UpdateSecurityPolicyAsync(TestState.CallerFor(state.DistrictA), state.LeaA.Id, read,
            new SecurityPolicyChange(new DateOnly(2026, 8, 1), true, null));
        var refused = await Assert.ThrowsAsync<SecurityPolicyRefusedException>(() => schoolSystems.UpdateSecurityPolicyAsync(
            TestState.CallerFor(state.StateAdmin), state.LeaA.Id, read, new SecurityPolicyChange(new DateOnly(2026, 9, 1), false, null)));

        Assert.StartsWith("district alpha changed the security policy of Alpha Parish Schools on", refused.Message);
        await using var db = await database.OpenAsync();
        var policy = (await db.SchoolSystems.SingleAsync(s => s.Id == state.LeaA.Id)).SecurityPolicy;
        Assert.Equal((new DateOnly(2026, 8, 1), true), (policy.WrittenPolicyAdoptedOn!.Value, policy.IncludesIepSecurity));
    }
}
