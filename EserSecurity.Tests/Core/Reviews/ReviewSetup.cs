using EserSecurity.Core.Grants;
using EserSecurity.Core.Reviews;
using EserSecurity.Core.Roles;
using EserSecurity.Core.SchoolSystems;
using EserSecurity.Core.Staff;
using EserSecurity.Tests.Support;
using Microsoft.EntityFrameworkCore;

namespace EserSecurity.Tests.Core.Reviews;

/// <summary>Grants in the test state and a review opened over them, as preconditions of review tests.</summary>
internal sealed record ReviewSetup(int ReviewId, int ItemA1, int ItemA3, int ItemIepA1, int ItemLeaA, int GrantA1, int GrantA3, int GrantIepA1, int GrantLeaA)
{
    /// <summary>
    /// Gives school system A four active grants (A1, A3, IEP Forms at A1, the whole school system) and one ended, B one
    /// active, then opens a review of A as the state administrator.
    /// </summary>
    public static async Task<ReviewSetup> OpenForAAsync(TestDatabase database, TestState state, DateOnly? dueOn = null)
    {
        var grantA1 = await AddGrantAsync(database, state.UserA1, state.SchoolRole, state.LeaA, state.A1);
        var grantA3 = await AddGrantAsync(database, state.UserA3, state.SchoolRole, state.LeaA, state.A3);
        var grantIep = await AddGrantAsync(database, state.UserA1, state.IepRole, state.LeaA, state.A1);
        var grantLea = await AddGrantAsync(database, state.UserA3, state.LeaRole, state.LeaA, null);
        await AddGrantAsync(database, state.UserA3, state.IepRole, state.LeaA, state.A3, ended: true);
        await AddGrantAsync(database, state.UserB1, state.SchoolRole, state.LeaB, state.B1);

        var due = dueOn ?? DateOnly.FromDateTime(database.Clock.GetUtcNow().UtcDateTime).AddDays(30);
        await database.Get<AccessReviewService>().OpenAsync(TestState.CallerFor(state.StateAdmin), new OpenReviewPeriod([state.LeaA.Id], due));
        await using var db = await database.OpenAsync();
        var review = await db.AccessReviews.Where(r => r.SchoolSystemId == state.LeaA.Id).OrderByDescending(r => r.Id).FirstAsync();
        var items = await db.AccessReviewItems.Where(i => i.AccessReviewId == review.Id).ToDictionaryAsync(i => i.AccessGrantId, i => i.Id);
        return new ReviewSetup(review.Id, items[grantA1], items[grantA3], items[grantIep], items[grantLea], grantA1, grantA3, grantIep, grantLea);
    }

    public static async Task<int> AddGrantAsync(
        TestDatabase database, StaffMember person, EserRole role, SchoolSystem lea, School? school, bool ended = false)
    {
        await using var db = await database.OpenAsync();
        var now = database.Clock.GetUtcNow();
        var grant = new AccessGrant
        {
            StaffMemberId = person.Id,
            EserRoleId = role.Id,
            SchoolSystemId = lea.Id,
            SchoolId = school?.Id,
            GrantedAt = now.AddDays(-60),
            EndedAt = ended ? now.AddDays(-5) : null,
            EndReason = ended ? GrantEndReason.Manual : null,
        };
        db.AccessGrants.Add(grant);
        await db.SaveChangesAsync();
        return grant.Id;
    }
}
