using EserSecurity.Core.Coordinators;
using EserSecurity.Tests.Support;
using Microsoft.EntityFrameworkCore;

namespace EserSecurity.Tests.Core.Coordinators;

public sealed class AssignmentPeriodsTests
{
    private static readonly DateOnly Today = DateOnly.FromDateTime(TestDatabase.DefaultNow.UtcDateTime);

    [Theory]
    [InlineData(0, null, true)]
    [InlineData(-30, null, true)]
    [InlineData(1, null, false)]
    [InlineData(-30, 0, false)]
    [InlineData(-30, 1, true)]
    [InlineData(-30, -1, false)]
    public async Task ActiveOn_CountsTheStartDayButNotTheEndDay(int startsInDays, int? endsInDays, bool active)
    {
        await using var database = await TestDatabase.CreateAsync();
        var state = await TestState.CreateAsync(database);
        await using var db = await database.OpenAsync();
        db.SupervisorAssignments.Add(new SupervisorAssignment
        {
            StaffMemberId = state.UserA3.Id,
            SchoolSystemId = state.LeaA.Id,
            StartsOn = Today.AddDays(startsInDays),
            EndsOn = endsInDays is int days ? Today.AddDays(days) : null,
        });
        await db.SaveChangesAsync();

        Assert.Equal(active, await db.SupervisorAssignments.ActiveOn(Today).AnyAsync(a => a.StaffMemberId == state.UserA3.Id));
    }
}
