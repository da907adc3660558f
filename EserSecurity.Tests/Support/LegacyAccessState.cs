using EserSecurity.Core.Roles;
using EserSecurity.Core.SchoolSystems;
using EserSecurity.Core.Staff;

namespace EserSecurity.Tests.Support;

/// <summary>
/// The TAS side of <see cref="TestState"/>: TAS roles mapped to its three eSER roles (school data entry, IEP Forms
/// writer, school-system reports) and one left unmapped, and a way to record legacy SER access directly.
/// </summary>
public sealed class LegacyAccessState
{
    public const string TasDataEntry = "SER Data Entry";
    public const string TasIepWriter = "SER IEP Writer";
    public const string TasReports = "SER Reports";
    public const string TasGifted = "SER Gifted Screening";

    public required TasRole DataEntry { get; init; }
    public required TasRole IepWriter { get; init; }
    public required TasRole Reports { get; init; }
    public required TasRole Gifted { get; init; }

    public static async Task<LegacyAccessState> CreateAsync(TestDatabase database, TestState state)
    {
        await using var db = await database.OpenAsync();
        var dataEntry = new TasRole { Name = TasDataEntry, EserRoleId = state.SchoolRole.Id, EserPermission = "Edit student records" };
        var iepWriter = new TasRole { Name = TasIepWriter, EserRoleId = state.IepRole.Id, EserPermission = "Write IEP forms" };
        var reports = new TasRole { Name = TasReports, EserRoleId = state.LeaRole.Id, EserPermission = "Run LEA reports" };
        var gifted = new TasRole { Name = TasGifted };
        db.TasRoles.AddRange(dataEntry, iepWriter, reports, gifted);
        await db.SaveChangesAsync();
        return new LegacyAccessState { DataEntry = dataEntry, IepWriter = iepWriter, Reports = reports, Gifted = gifted };
    }

    /// <summary>Records that TAS lists the person with the role, straight in the database, as a test precondition.</summary>
    public static async Task AddAsync(TestDatabase database, StaffMember person, SchoolSystem lea, School? school, TasRole role, string status = "Active")
    {
        await using var db = await database.OpenAsync();
        db.LegacySerAccess.Add(new LegacySerAccess
        {
            StaffMemberId = person.Id,
            SchoolSystemId = lea.Id,
            SchoolId = school?.Id,
            TasRoleId = role.Id,
            TasStatus = status,
            ImportedAt = database.Clock.GetUtcNow(),
        });
        await db.SaveChangesAsync();
    }
}
