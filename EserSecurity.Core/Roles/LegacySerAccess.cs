using EserSecurity.Core.SchoolSystems;
using EserSecurity.Core.Staff;

namespace EserSecurity.Core.Roles;

/// <summary>One row of the TAS "User Report by Application": a person held a SER role in the legacy system.</summary>
public class LegacySerAccess
{
    public const int StatusMaxLength = 40;

    public int Id { get; set; }

    public int StaffMemberId { get; set; }

    public StaffMember? StaffMember { get; set; }

    public int SchoolSystemId { get; set; }

    public int? SchoolId { get; set; }

    public School? School { get; set; }

    public int TasRoleId { get; set; }

    public TasRole? TasRole { get; set; }

    /// <summary>The TAS status as reported (for example "Active").</summary>
    public required string TasStatus { get; set; }

    public DateTimeOffset ImportedAt { get; set; }
}
