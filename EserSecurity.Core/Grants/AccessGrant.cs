using EserSecurity.Core.Roles;
using EserSecurity.Core.SchoolSystems;
using EserSecurity.Core.Staff;

namespace EserSecurity.Core.Grants;

/// <summary>A person's eSER role at a scope. Never deleted: an ended grant keeps who ended it, when and why.</summary>
public class AccessGrant
{
    public const int EndNoteMaxLength = 1000;

    public int Id { get; set; }

    public int StaffMemberId { get; set; }

    public StaffMember? StaffMember { get; set; }

    public int EserRoleId { get; set; }

    public EserRole? EserRole { get; set; }

    public int SchoolSystemId { get; set; }

    public SchoolSystem? SchoolSystem { get; set; }

    public int? SchoolId { get; set; }

    public School? School { get; set; }

    public GrantOrigin Origin { get; set; }

    /// <summary>The approved request this grant came from, when it came from one.</summary>
    public int? AccessRequestId { get; set; }

    public DateTimeOffset GrantedAt { get; set; }

    public int? GrantedById { get; set; }

    /// <summary>
    /// The last day the grant runs when it was approved for a limited time (set at approval, within the role's longest
    /// duration); the console ends it with <see cref="GrantEndReason.Expired"/> on the day after. Null: no end is set.
    /// </summary>
    public DateOnly? EndsOn { get; set; }

    /// <summary>The <see cref="EndsOn"/> the person and their coordinators were last warned about, so each end is warned of once.</summary>
    public DateOnly? ExpiryWarnedFor { get; set; }

    public DateTimeOffset? EndedAt { get; set; }

    public int? EndedById { get; set; }

    public GrantEndReason? EndReason { get; set; }

    public string? EndNote { get; set; }

    public Guid ConcurrencyToken { get; set; } = Guid.NewGuid();

    public bool IsActive => EndedAt is null;
}

public enum GrantOrigin
{
    Request,
    TasMigration,
}

public enum GrantEndReason
{
    EmploymentEnded,
    DutiesChanged,
    RevokedInReview,
    Manual,

    /// <summary>The grant reached the end date set when it was approved.</summary>
    Expired,

    /// <summary>A renewal of the grant was approved; the new grant carries on from it.</summary>
    Renewed,
}
