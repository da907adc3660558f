using EserSecurity.Core.SchoolSystems;
using EserSecurity.Core.Staff;

namespace EserSecurity.Core.Roles;

/// <summary>One row of the TAS "User Report by Application": a person held a SER role in the legacy system.</summary>
public class LegacySerAccess
{
    public const int StatusMaxLength = 40;

    /// <summary>The TAS status of access a person still held; only such rows count as legacy SER access.</summary>
    public const string ActiveStatus = "Active";

    public int Id { get; set; }

    public int StaffMemberId { get; set; }

    public StaffMember? StaffMember { get; set; }

    public int SchoolSystemId { get; set; }

    /// <summary>The school of the row's site code; null when TAS listed the access without a site.</summary>
    public int? SchoolId { get; set; }

    public School? School { get; set; }

    public int TasRoleId { get; set; }

    public TasRole? TasRole { get; set; }

    /// <summary>The TAS status as reported (for example "Active").</summary>
    public required string TasStatus { get; set; }

    public DateTimeOffset ImportedAt { get; set; }

    /// <summary>TAS spells statuses in any case: "ACTIVE" and "active" are stored as "Active", likewise "Inactive".</summary>
    public static string NormalizeStatus(string status)
    {
        var trimmed = status.Trim();
        return trimmed.Equals(ActiveStatus, StringComparison.OrdinalIgnoreCase) ? ActiveStatus
            : trimmed.Equals("Inactive", StringComparison.OrdinalIgnoreCase) ? "Inactive"
            : trimmed;
    }
}
