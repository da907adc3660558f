using EserSecurity.Core.Assurance;
using EserSecurity.Core.Staff;
using EserSecurity.Tests.Support;

namespace EserSecurity.Tests.Core.Assurance;

/// <summary>Statement and signature preconditions made through the real services, as an administrator and a signer would.</summary>
internal static class AssuranceTestSupport
{
    public const string Title = "Confidentiality Assurance Statement";

    public const string Body = """
        # Why I sign
        eSER holds students' IEPs.
        They are protected by law.

        - I access records only for my duties.
        - I keep copies secure.
        """;

    public static readonly string[] Acknowledgements =
    [
        "I will access student records only for my duties.",
        "I completed my school system's security training this year.",
        "I will report a breach.",
    ];

    public static StatementContent Content(string title = Title, string body = Body, string? acknowledgements = null) =>
        new(title, body, acknowledgements ?? string.Join("\n", Acknowledgements));

    public static async Task<(TestDatabase Database, TestState State)> ArrangeAsync(DateTimeOffset? now = null)
    {
        var database = await TestDatabase.CreateAsync(now: now);
        return (database, await TestState.CreateAsync(database));
    }

    /// <summary>The known state's people by the short names the scope theories use.</summary>
    public static StaffMember Person(TestState state, string who) => who switch
    {
        "admin" => state.StateAdmin,
        "district" => state.DistrictA,
        "local" => state.LocalA,
        "supervisor" => state.SupervisorA,
        "districtB" => state.DistrictB,
        "userA1" => state.UserA1,
        "userA3" => state.UserA3,
        _ => throw new ArgumentOutOfRangeException(nameof(who), who, "No such person in the known state."),
    };

    /// <summary>Writes and publishes a version for the school year of the database's clock; returns its id.</summary>
    public static async Task<int> PublishAsync(TestDatabase database, TestState state, StatementContent? content = null)
    {
        var statements = database.Get<StatementService>();
        var admin = TestState.CallerFor(state.StateAdmin);
        var year = SchoolYear.Containing(DateOnly.FromDateTime(database.Clock.GetUtcNow().UtcDateTime));
        var id = await statements.CreateDraftAsync(admin, year, content ?? Content());
        await statements.PublishAsync(admin, id);
        return id;
    }

    /// <summary>Signs the current statement as the person would: every box ticked, the name typed as on the staff record.</summary>
    public static async Task<OwnSignature> SignAsync(TestDatabase database, StaffMember person, int versionId, string? typedName = null)
    {
        var acknowledgements = Enumerable.Range(0, Acknowledgements.Length).ToList();
        return await database.Get<AssuranceService>().SignAsync(TestState.CallerFor(person),
            new SignatureRequest(versionId, acknowledgements, typedName ?? person.FullName, "10.1.2.3", "Mozilla/5.0 (test)"));
    }
}
