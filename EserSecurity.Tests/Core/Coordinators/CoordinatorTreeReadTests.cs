using EserSecurity.Core.Changes;
using EserSecurity.Core.Coordinators;
using EserSecurity.Core.Security;
using EserSecurity.Core.Staff;
using EserSecurity.Tests.Support;

namespace EserSecurity.Tests.Core.Coordinators;

/// <summary>The tree the coordinators page reads, and which published changes concern a reader of it.</summary>
public sealed class CoordinatorTreeReadTests
{
    [Fact]
    public async Task Tree_ForTheStateAdministrator_ShowsEverySchoolSystemClosed_WithTheSummary()
    {
        await using var database = await TestDatabase.CreateAsync();
        var state = await TestState.CreateAsync(database);

        var tree = await database.Get<CoordinatorService>().GetTreeAsync(TestState.CallerFor(state.StateAdmin), null, false, []);

        Assert.Equal([state.LeaA.Id, state.LeaB.Id], tree.SchoolSystems.Select(s => s.Id));
        Assert.Empty(tree.OpenChildren);
        Assert.Empty(tree.MatchedSchoolIds);
        Assert.Equal(new CoverageSummary(2, 0, 2), tree.Summary);
    }

    [Fact]
    public async Task Tree_KeepsOpenWhatWasOpen_AndTheOnlySchoolSystemShownOpensOnItsOwn()
    {
        await using var database = await TestDatabase.CreateAsync();
        var state = await TestState.CreateAsync(database);
        var service = database.Get<CoordinatorService>();

        var admin = await service.GetTreeAsync(TestState.CallerFor(state.StateAdmin), null, false, [state.LeaB.Id, 9999]);
        var district = await service.GetTreeAsync(TestState.CallerFor(state.DistrictA), null, false, []);

        Assert.Equal([state.LeaB.Id], admin.OpenChildren.Keys);
        Assert.Equal("Bravo Elementary", Assert.Single(admin.OpenChildren[state.LeaB.Id].Schools).Name);
        Assert.Equal([state.LeaA.Id], district.OpenChildren.Keys);
        Assert.Equal(["Alpha Elementary", "Alpha High", "Alpha Middle"], district.OpenChildren[state.LeaA.Id].Schools.Select(s => s.Name));
    }

    [Fact]
    public async Task Tree_SearchForASchool_OpensItsSchoolSystemAndMarksTheSchool_WhileTheSummaryCoversTheWholeView()
    {
        await using var database = await TestDatabase.CreateAsync();
        var state = await TestState.CreateAsync(database);

        var tree = await database.Get<CoordinatorService>().GetTreeAsync(TestState.CallerFor(state.StateAdmin), "Alpha High", false, []);

        Assert.Equal([state.LeaA.Id], tree.SchoolSystems.Select(s => s.Id));
        Assert.Equal([state.LeaA.Id], tree.OpenChildren.Keys);
        Assert.Equal([state.A3.Id], tree.MatchedSchoolIds);
        Assert.Equal(2, tree.Summary.SchoolSystems);
    }

    [Theory]
    [InlineData("StateAdmin", "B", null, true)]
    [InlineData("DistrictA", "A", null, true)]
    [InlineData("DistrictA", "B", null, false)]
    [InlineData("SupervisorA", "A", null, true)]
    [InlineData("SupervisorA", "B", null, false)]
    [InlineData("LocalA", "A", null, true)]
    [InlineData("LocalA", "B", null, false)]
    [InlineData("UserA1", "A", null, false)]
    [InlineData("UserA1", "A", "UserA1", true)]
    [InlineData("DistrictA", "B", "DistrictA", true)]
    public async Task Concerns_AnAssignmentChange_InASchoolSystemTheReaderSees_OrOfTheReaderThemself(
        string reader, string lea, string? subject, bool concerns)
    {
        await using var database = await TestDatabase.CreateAsync();
        var state = await TestState.CreateAsync(database);
        var scope = await database.Get<ScopeService>().GetScopeAsync(TestState.CallerFor(Person(state, reader)));
        var change = Change(AccessChangeKind.AssignmentChanged, lea == "A" ? state.LeaA.Id : state.LeaB.Id, subject is null ? null : Person(state, subject).Id);

        Assert.Equal(concerns, CoordinatorService.Concerns(change, scope));
    }

    [Fact]
    public async Task Concerns_NoChangeOtherThanAnAssignmentOrSeparationExceptionChange()
    {
        await using var database = await TestDatabase.CreateAsync();
        var state = await TestState.CreateAsync(database);
        var scope = await database.Get<ScopeService>().GetScopeAsync(TestState.CallerFor(state.StateAdmin));

        Assert.All(Enum.GetValues<AccessChangeKind>().Where(k => k is not (AccessChangeKind.AssignmentChanged or AccessChangeKind.SeparationExceptionChanged)),
            kind => Assert.False(CoordinatorService.Concerns(Change(kind, state.LeaA.Id, state.StateAdmin.Id), scope)));
        Assert.True(CoordinatorService.Concerns(Change(AccessChangeKind.AssignmentChanged, null, null), scope));
        Assert.True(CoordinatorService.Concerns(Change(AccessChangeKind.SeparationExceptionChanged, state.LeaA.Id, state.StateAdmin.Id), scope));
    }

    [Fact]
    public async Task Concerns_TheChangeANewGroupPublishes_ReachesTheGroupsLocalCoordinatorButNotAnotherDistrict()
    {
        await using var database = await TestDatabase.CreateAsync();
        var state = await TestState.CreateAsync(database);
        using var recorder = new ChangeRecorder(database.Get<IAccessChangeFeed>());
        var scopes = database.Get<ScopeService>();

        await database.Get<CoordinatorService>().CreateGroupAsync(TestState.CallerFor(state.DistrictA), state.LeaA.Id, "Alpha South", [state.A2.Id, state.A3.Id]);
        var change = await recorder.WaitForAsync(c => c.Kind == AccessChangeKind.AssignmentChanged);

        Assert.True(CoordinatorService.Concerns(change, await scopes.GetScopeAsync(TestState.CallerFor(state.LocalA))));
        Assert.True(CoordinatorService.Concerns(change, await scopes.GetScopeAsync(TestState.CallerFor(state.DistrictA))));
        Assert.False(CoordinatorService.Concerns(change, await scopes.GetScopeAsync(TestState.CallerFor(state.DistrictB))));
    }

    private static AccessChange Change(AccessChangeKind kind, int? schoolSystemId, int? subject) =>
        new(kind, schoolSystemId, null, null, null, TestDatabase.DefaultNow, subject);

    private static StaffMember Person(TestState state, string name) => name switch
    {
        "StateAdmin" => state.StateAdmin,
        "DistrictA" => state.DistrictA,
        "SupervisorA" => state.SupervisorA,
        "LocalA" => state.LocalA,
        _ => state.UserA1,
    };
}
