using EserSecurity.Core.Security;

namespace EserSecurity.Core.LegacyMigration;

/// <summary>What migrating a suggestion would do, or why it cannot be migrated.</summary>
public enum MigrationSuggestionState
{
    /// <summary>The role is granted at once, with origin "TAS migration".</summary>
    Grantable,

    /// <summary>The role reaches IEP Forms: migrating opens a request that waits for the special education supervisor.</summary>
    NeedsSupervisor,

    /// <summary>A request for the same role and scope is already pending; decide it in the queue.</summary>
    RequestPending,

    /// <summary>The person's TAS role maps to no eSER role yet; a state administrator maps it in the role catalog.</summary>
    Unmapped,

    /// <summary>The TAS role maps to a retired eSER role, which cannot be granted.</summary>
    RoleRetired,

    /// <summary>The role is granted at a school, but TAS listed the access without a site: the person requests a school.</summary>
    NoSchool,
}

/// <summary>A suggestion to migrate: grant this person this eSER role at this school (null: the whole school system).</summary>
public sealed record MigrationItem(int StaffMemberId, int EserRoleId, int? SchoolId);

/// <summary>
/// A legacy SER user without an eSER grant in the school system, one of the eSER roles their TAS roles map to, the
/// scope it would be granted at, and what migrating it would do.
/// </summary>
public sealed record MigrationSuggestion(
    int StaffMemberId,
    string Name,
    string StaffId,
    string Position,
    IReadOnlyList<string> TasRoles,
    int? EserRoleId,
    string? EserRoleName,
    bool GrantsIepForms,
    int? SchoolId,
    string ScopeName,
    MigrationSuggestionState State,
    string Note)
{
    /// <summary>What to hand to <see cref="LegacyMigrationService.MigrateAsync"/>; null when the suggestion cannot be migrated.</summary>
    public MigrationItem? Item => EserRoleId is int roleId && State is MigrationSuggestionState.Grantable or MigrationSuggestionState.NeedsSupervisor
        ? new MigrationItem(StaffMemberId, roleId, SchoolId)
        : null;
}

/// <summary>Search and page of the migration list, as they appear in the page's URL.</summary>
public sealed record MigrationQuery(string? Search = null, bool MigratableOnly = false, int Page = 0, int PageSize = 50);

/// <summary>The migration list of one school system: its totals, and one page of suggestions sorted by name.</summary>
public sealed record MigrationPlan(
    int SchoolSystemId,
    string SchoolSystemName,
    int PeopleWithoutGrant,
    int Grantable,
    int NeedsSupervisor,
    int NotMigratable,
    PagedResult<MigrationSuggestion> Suggestions);

public enum MigrationResult
{
    Granted,
    SentToSupervisor,
    NotMigrated,
}

/// <summary>What migrating one suggestion did; for a request sent to the supervisor, its id.</summary>
public sealed record MigrationOutcome(MigrationItem Item, MigrationResult Result, string Message, int? GrantId = null, int? RequestId = null);

/// <summary>The result of a bulk migration: each suggestion decided on its own.</summary>
public sealed record MigrationSummary(IReadOnlyList<MigrationOutcome> Outcomes) : IBulkSummary
{
    public string Headline => $"{Granted} granted, {SentToSupervisor} sent to the special education supervisor"
        + (NotMigrated.Count > 0 ? $", {NotMigrated.Count} skipped" : "");

    public IReadOnlyList<string> NotDone => NotMigrated.Select(o => o.Message).ToList();

    public int Granted => Outcomes.Count(o => o.Result == MigrationResult.Granted);

    public int SentToSupervisor => Outcomes.Count(o => o.Result == MigrationResult.SentToSupervisor);

    public IReadOnlyList<MigrationOutcome> NotMigrated { get; } = Outcomes.Where(o => o.Result == MigrationResult.NotMigrated).ToList();
}
