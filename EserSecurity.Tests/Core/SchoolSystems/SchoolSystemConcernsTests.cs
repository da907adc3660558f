using EserSecurity.Core.Changes;
using EserSecurity.Core.SchoolSystems;
using EserSecurity.Core.Security;
using EserSecurity.Core.Staff;
using EserSecurity.Tests.Support;
using static EserSecurity.Tests.Core.AccessRequests.QueueConcernsTests;

namespace EserSecurity.Tests.Core.SchoolSystems;

/// <summary>Which changes refresh the school systems list and the audit log: the rules beside their reads.</summary>
public sealed class SchoolSystemConcernsTests
{
    [Fact]
    public async Task RecordingAPolicy_IsPublished_AndConcernsThoseWhoSeeThatSchoolSystemOnly()
    {
        await using var database = await TestDatabase.CreateAsync();
        var state = await TestState.CreateAsync(database);
        using var recorder = new ChangeRecorder(database.Get<IAccessChangeFeed>());
        var today = DateOnly.FromDateTime(database.Clock.GetUtcNow().UtcDateTime);

        await PolicySetup.UpdateAsync(database, state, TestState.CallerFor(state.DistrictA), state.LeaA.Id, new SecurityPolicyChange(today, true, today));
        var recorded = await recorder.WaitForAsync(c => c.Kind == AccessChangeKind.SecurityPolicyChanged);

        Assert.Equal(state.LeaA.Id, recorded.SchoolSystemId);
        Assert.True(SchoolSystemService.ConcernsList(recorded, await ScopeOf(database, state.DistrictA)));
        Assert.True(SchoolSystemService.ConcernsList(recorded, await ScopeOf(database, state.SupervisorA)));
        Assert.True(SchoolSystemService.ConcernsList(recorded, await ScopeOf(database, state.StateAdmin)));
        Assert.False(SchoolSystemService.ConcernsList(recorded, await ScopeOf(database, state.DistrictB)));
        Assert.False(SchoolSystemService.ConcernsList(recorded, null));
    }

    [Fact]
    public void List_FollowsCoverageAndPendingRequests_NotSignatures()
    {
        var district = Scope(staffMemberId: 7, district: [1]);

        Assert.True(SchoolSystemService.ConcernsList(Change(AccessChangeKind.AssignmentChanged, schoolSystemId: 1), district));
        Assert.True(SchoolSystemService.ConcernsList(Change(AccessChangeKind.AssignmentChanged, schoolSystemId: 2, subject: 7), district));
        Assert.True(SchoolSystemService.ConcernsList(Change(AccessChangeKind.RequestSubmitted, schoolSystemId: 1), district));
        Assert.False(SchoolSystemService.ConcernsList(Change(AccessChangeKind.AssuranceSigned, schoolSystemId: 1), district));
    }

    private static async Task<AccessScope> ScopeOf(TestDatabase database, StaffMember person) =>
        await database.Get<ScopeService>().GetScopeAsync(TestState.CallerFor(person));
}
