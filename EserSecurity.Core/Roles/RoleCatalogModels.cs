namespace EserSecurity.Core.Roles;

/// <summary>An eSER role as the catalog page lists it, with what refers to it; <see cref="Version"/> is what an edit passes back.</summary>
public sealed record EserRoleRow(
    int Id,
    string Code,
    string Name,
    string Description,
    IReadOnlyList<string> Permissions,
    bool GrantsIepForms,
    RoleLevel Level,
    bool IsRetired,
    int ActiveGrantCount,
    int GrantCount,
    int PendingRequestCount,
    int RequestCount,
    IReadOnlyList<string> MappedTasRoles,
    long Version,
    int? MaxDurationDays = null)
{
    /// <summary>A role that any grant or request names is kept for the record: it can be retired, not removed.</summary>
    public bool CanRemove => GrantCount == 0 && RequestCount == 0 && MappedTasRoles.Count == 0;
}

/// <summary>What a state administrator enters for a new or changed eSER role.</summary>
/// <param name="Code">The EdLink Security identifier: capital letters, digits, "_" and "-".</param>
/// <param name="Permissions">At least one; each is a permission name as EdLink Security spells it.</param>
/// <param name="MaxDurationDays">The longest a grant of the role may run, in days from its approval; null for no limit.</param>
public sealed record EserRoleEdit(
    string Code,
    string Name,
    string Description,
    IReadOnlyList<string> Permissions,
    bool GrantsIepForms,
    RoleLevel Level,
    int? MaxDurationDays = null);

/// <summary>A legacy TAS role, the eSER role and permission it maps to (none while unmapped), and how many TAS rows name it.</summary>
public sealed record TasRoleRow(
    int Id,
    string Name,
    int? EserRoleId,
    string? EserRoleName,
    string? EserPermission,
    bool EserRoleIsRetired,
    int LegacyAccessCount)
{
    public bool IsMapped => EserRoleId is not null;
}

/// <summary>The catalog change cannot be made as asked; the message says why and is safe to show.</summary>
public sealed class RoleCatalogRefusedException(string message) : Exception(message);
