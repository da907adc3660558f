using Bunit;
using EserSecurity.Core.AccessRequests;
using EserSecurity.Core.Assurance;
using EserSecurity.Core.Grants;
using EserSecurity.Core.KeyDates;
using EserSecurity.Core.LegacyMigration;
using EserSecurity.Core.Readiness;
using EserSecurity.Core.Staff;
using EserSecurity.Tests.Support;
using Microsoft.Extensions.DependencyInjection;

namespace EserSecurity.Tests.Dashboard.Readiness;

/// <summary>
/// The readiness pages' known state, go-live on January 4, 2027 (37 days after the test clock). TAS lists in school
/// system A: user.alpha1 at A1 (granted, signed: ready), user.alpha3 at A3 (granted, unsigned), local.alpha at A1
/// (request waiting for the district coordinator), user.alpha2 at A2 (IEP Forms request waiting for the supervisor),
/// supervisor.alpha without a site (signed, no request). In B: user.bravo1 at B1, granted and signed.
/// A: 5 legacy users, 2 with a grant, 2 with the assurance, 1 ready (20%). B: 1 of 1 ready (100%).
/// </summary>
public sealed record KnownReadinessState(TestDatabase Database, TestState State, StaffMember UserA2, AccessRequest LocalRequest, int StatementId)
{
    public static readonly DateOnly GoLiveDay = new(2027, 1, 4);

    public static async Task<KnownReadinessState> CreateAsync()
    {
        var database = await TestDatabase.CreateAsync();
        var state = await TestState.CreateAsync(database);
        var tas = await LegacyAccessState.CreateAsync(database, state);
        var now = database.Clock.GetUtcNow();
        StaffMember userA2;
        StatementVersion statement;
        await using (var db = await database.OpenAsync())
        {
            userA2 = new StaffMember { StaffId = "800000002", FirstName = "user", LastName = "alpha2", Email = "a2@example.org", SchoolSystemId = state.LeaA.Id, Position = "Teacher" };
            statement = new StatementVersion { SchoolYear = 2026, VersionNumber = 1, Title = "Assurance", Body = "Text", Acknowledgements = "I agree", Status = StatementStatus.Published };
            db.AddRange(userA2, statement);
            await db.SaveChangesAsync();
            foreach (var person in new[] { state.UserA1, state.SupervisorA, state.UserB1 })
            {
                db.AssuranceSignatures.Add(Signature(person, statement.Id, now));
            }
            db.AccessGrants.AddRange(
                Grant(state.UserA1, state.SchoolRole.Id, state.LeaA.Id, state.A1.Id, now),
                Grant(state.UserA3, state.SchoolRole.Id, state.LeaA.Id, state.A3.Id, now),
                Grant(state.UserB1, state.SchoolRole.Id, state.LeaB.Id, state.B1.Id, now));
            db.KeyDates.Add(new KeyDate { Kind = KeyDateKind.GoLive, Title = "Go-live", On = GoLiveDay });
            await db.SaveChangesAsync();
        }
        await LegacyAccessState.AddAsync(database, state.UserA1, state.LeaA, state.A1, tas.DataEntry);
        await LegacyAccessState.AddAsync(database, state.UserA3, state.LeaA, state.A3, tas.DataEntry);
        await LegacyAccessState.AddAsync(database, state.LocalA, state.LeaA, state.A1, tas.Gifted);
        await LegacyAccessState.AddAsync(database, userA2, state.LeaA, state.A2, tas.IepWriter);
        await LegacyAccessState.AddAsync(database, state.SupervisorA, state.LeaA, null, tas.Reports);
        await LegacyAccessState.AddAsync(database, state.UserB1, state.LeaB, state.B1, tas.DataEntry);
        var local = await TestState.AddPendingRequestAsync(database, state.LocalA, state.SchoolRole, state.LeaA, state.A1, now.AddDays(-2));
        await TestState.AddPendingRequestAsync(database, userA2, state.IepRole, state.LeaA, state.A2, now.AddDays(-1), AccessRequestStatus.PendingSupervisor);
        return new KnownReadinessState(database, state, userA2, local, statement.Id);
    }

    public static AssuranceSignature Signature(StaffMember person, int statementId, DateTimeOffset at) => new()
    {
        StaffMemberId = person.Id, StatementVersionId = statementId, SchoolYear = 2026, SignedAt = at, TypedName = person.FullName,
        Acknowledgements = "I agree", TextHash = new string('0', 64), VerificationCode = $"CODE-{person.Id}",
    };

    private static AccessGrant Grant(StaffMember person, int roleId, int schoolSystemId, int? schoolId, DateTimeOffset at) => new()
    {
        StaffMemberId = person.Id, EserRoleId = roleId, SchoolSystemId = schoolSystemId, SchoolId = schoolId, Origin = GrantOrigin.Request, GrantedAt = at,
    };

    /// <summary>A bUnit context with the readiness and migration services added to the dashboard's.</summary>
    public static BunitContext Context(TestDatabase database, StaffMember signedIn)
    {
        var ctx = DashboardContext.Create(database, signedIn.Username);
        ctx.Services.AddSingleton(database.Get<ReadinessService>());
        ctx.Services.AddSingleton(database.Get<LegacyMigrationService>());
        return ctx;
    }
}
