using System.Globalization;
using EserSecurity.Core.Security;

namespace EserSecurity.Core.Assurance;

/// <summary>How many people have signed this school year, and of the others how many are due or overdue.</summary>
/// <remarks>Whether an unsigned statement is due or overdue depends only on the day, so one of the two is always 0.</remarks>
public sealed record AssuranceCounts(int Signed, int Due, int Overdue)
{
    public static AssuranceCounts None { get; } = new(0, 0, 0);

    public int Total => Signed + Due + Overdue;

    internal static AssuranceCounts Of(int total, int signed, bool inGracePeriod) =>
        inGracePeriod ? new(signed, total - signed, 0) : new(signed, 0, total - signed);
}

/// <summary>The people of one school system in the caller's scope.</summary>
/// <param name="SchoolSystemId">Null for staff of the state education agency.</param>
public sealed record SchoolSystemAssuranceCounts(int? SchoolSystemId, string? Code, string Name, AssuranceCounts Counts);

/// <summary>
/// The people of one school in the caller's scope (a person at two schools counts at both). A row with a null
/// <see cref="SchoolId"/> holds the people of the school system (or, without a school system, of the state agency)
/// who work at no school, such as district office staff.
/// </summary>
public sealed record SchoolAssuranceCounts(
    int? SchoolSystemId, string SchoolSystemName, int? SchoolId, string? SiteCode, string SchoolName, AssuranceCounts Counts);

/// <summary>The assurance status page's figures: totals over distinct people, then by school system and by school.</summary>
/// <param name="OverdueFrom">The first day an unsigned statement of <see cref="Year"/> is overdue.</param>
public sealed record AssuranceStatusReport(
    SchoolYear Year,
    DateOnly Today,
    DateOnly OverdueFrom,
    AssuranceCounts Totals,
    IReadOnlyList<SchoolSystemAssuranceCounts> SchoolSystems,
    IReadOnlyList<SchoolAssuranceCounts> Schools)
{
    /// <summary>Whether unsigned statements are still due today rather than overdue.</summary>
    public bool InGracePeriod => Today < OverdueFrom;
}

public enum AssurancePeopleSort
{
    Name,
    SchoolSystem,
    SignedAt,
}

/// <summary>Filters, sort and page of the people list, as they appear in the page's URL. Filters narrow the caller's scope.</summary>
/// <param name="Search">The start of a first or last name or of "First Last", or an exact Staff ID.</param>
public sealed record AssurancePeopleQuery(
    AssuranceStatus? Status = null,
    int? SchoolSystemId = null,
    int? SchoolId = null,
    string? Search = null,
    AssurancePeopleSort Sort = AssurancePeopleSort.Name,
    bool Descending = false,
    int Page = 0,
    int PageSize = 25)
{
    /// <summary>The filters in words, for the audit log of an export ("status NotSigned, school system 3"), or null for none.</summary>
    public string? Describe()
    {
        string?[] parts =
        [
            Status is { } status ? $"status {status}" : null,
            SchoolSystemId is int lea ? $"school system {lea.ToString(CultureInfo.InvariantCulture)}" : null,
            SchoolId is int school ? $"school {school.ToString(CultureInfo.InvariantCulture)}" : null,
            string.IsNullOrWhiteSpace(Search) ? null : $"search \"{SecurityEvents.Loggable(Search.Trim())}\"",
        ];
        var given = parts.OfType<string>().ToList();
        return given.Count == 0 ? null : string.Join(", ", given);
    }
}

/// <summary>One active staff member and their status this school year; <see cref="SignatureId"/> opens the signed PDF.</summary>
public sealed record AssurancePersonRow(
    int StaffMemberId,
    string StaffId,
    string Name,
    string Position,
    int? SchoolSystemId,
    string SchoolSystemName,
    IReadOnlyList<string> Schools,
    AssuranceStatus Status,
    int? SignatureId,
    DateTimeOffset? SignedAt,
    int? VersionNumber);
