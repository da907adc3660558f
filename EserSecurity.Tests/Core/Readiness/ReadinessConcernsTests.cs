using EserSecurity.Core.Assurance;
using EserSecurity.Core.Changes;
using EserSecurity.Core.LegacyMigration;
using EserSecurity.Core.Readiness;
using static EserSecurity.Tests.Core.AccessRequests.QueueConcernsTests;

namespace EserSecurity.Tests.Core.Readiness;

/// <summary>Which changes refresh the readiness, migration and assurance status pages: the rules beside their reads.</summary>
public sealed class ReadinessConcernsTests
{
    [Theory]
    [InlineData(AccessChangeKind.GrantCreated, true)]
    [InlineData(AccessChangeKind.GrantEnded, true)]
    [InlineData(AccessChangeKind.RequestDecided, true)]
    [InlineData(AccessChangeKind.AssuranceSigned, true)]
    [InlineData(AccessChangeKind.LegacyAccessImported, true)]
    [InlineData(AccessChangeKind.AssignmentChanged, false)]
    [InlineData(AccessChangeKind.RoleCatalogChanged, false)]
    [InlineData(AccessChangeKind.StatementPublished, false)]
    public void SchoolSystemReadiness_FollowsChangesThatMoveItsFigures(AccessChangeKind kind, bool concerns)
    {
        Assert.Equal(concerns, ReadinessService.ConcernsSchoolSystem(Change(kind, schoolSystemId: 4), 4));
        Assert.False(ReadinessService.ConcernsSchoolSystem(Change(kind, schoolSystemId: 5), 4));
    }

    [Fact]
    public void KeyDates_MoveEveryBoard_ForTheCountdown()
    {
        var keyDates = Change(AccessChangeKind.KeyDatesChanged);

        Assert.True(ReadinessService.ConcernsSchoolSystem(keyDates, 4));
        Assert.True(ReadinessService.ConcernsBoard(keyDates, Scope(staffMemberId: 1, district: [4])));
    }

    [Fact]
    public void Board_FollowsTheSchoolSystemsItShows_AndWaitsForTheScope()
    {
        var grant = Change(AccessChangeKind.GrantCreated, schoolSystemId: 4, schoolId: 40);

        Assert.True(ReadinessService.ConcernsBoard(grant, Scope(staffMemberId: 1, district: [4])));
        Assert.True(ReadinessService.ConcernsBoard(grant, Scope(staffMemberId: 1, stateAdministrator: true)));
        Assert.False(ReadinessService.ConcernsBoard(grant, Scope(staffMemberId: 1, district: [5])));
        Assert.False(ReadinessService.ConcernsBoard(grant, null));
    }

    [Fact]
    public void MigrationPlan_FollowsItsSchoolSystemAndTheStatewideCatalog()
    {
        Assert.True(LegacyMigrationService.ConcernsPlan(Change(AccessChangeKind.GrantCreated, schoolSystemId: 4), 4));
        Assert.True(LegacyMigrationService.ConcernsPlan(Change(AccessChangeKind.LegacyAccessImported, schoolSystemId: 4), 4));
        Assert.True(LegacyMigrationService.ConcernsPlan(Change(AccessChangeKind.RoleCatalogChanged), 4));
        Assert.False(LegacyMigrationService.ConcernsPlan(Change(AccessChangeKind.GrantCreated, schoolSystemId: 5), 4));
        Assert.False(LegacyMigrationService.ConcernsPlan(Change(AccessChangeKind.AssuranceSigned, schoolSystemId: 4), 4));
        Assert.False(LegacyMigrationService.ConcernsPlan(Change(AccessChangeKind.GrantCreated, schoolSystemId: 4), null));
    }

    [Fact]
    public void AssuranceStatus_FollowsSignaturesWhereTheScopeReaches()
    {
        var signedAtSchool = Change(AccessChangeKind.AssuranceSigned, schoolSystemId: 4, schoolId: 40);

        Assert.True(AssuranceStatusService.ConcernsStatus(signedAtSchool, Scope(staffMemberId: 1, district: [4])));
        Assert.True(AssuranceStatusService.ConcernsStatus(signedAtSchool, Scope(staffMemberId: 1, localSchools: [40])));
        Assert.False(AssuranceStatusService.ConcernsStatus(signedAtSchool, Scope(staffMemberId: 1, localSchools: [41])));
        Assert.False(AssuranceStatusService.ConcernsStatus(Change(AccessChangeKind.GrantCreated, schoolSystemId: 4), Scope(staffMemberId: 1, district: [4])));
        Assert.False(AssuranceStatusService.ConcernsStatus(signedAtSchool, null));
    }
}
