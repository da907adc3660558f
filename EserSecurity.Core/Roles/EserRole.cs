namespace EserSecurity.Core.Roles;

/// <summary>An eSER role in EdLink Security, as edited by state administrators.</summary>
public class EserRole
{
    public const int CodeMaxLength = 40;
    public const int NameMaxLength = 100;
    public const int DescriptionMaxLength = 1000;
    public const int PermissionsMaxLength = 1000;

    public int Id { get; set; }

    public required string Code { get; set; }

    public required string Name { get; set; }

    public required string Description { get; set; }

    /// <summary>Between two permissions in <see cref="Permissions"/>.</summary>
    public const string PermissionSeparator = "; ";

    /// <summary>The permissions the role carries, as EdLink Security names them, separated by "; ".</summary>
    public required string Permissions { get; set; }

    /// <summary>Whether the role reaches IEP Forms, which needs the supervisor's second approval.</summary>
    public bool GrantsIepForms { get; set; }

    public RoleLevel Level { get; set; }

    /// <summary>The longest a grant of the role may run, in days from its approval; null: no limit.</summary>
    public int? MaxDurationDays { get; set; }

    /// <summary>A role with grants is never removed; it is retired so no new request can name it.</summary>
    public bool IsRetired { get; set; }

    /// <summary>The permissions one by one, as <see cref="Permissions"/> lists them.</summary>
    public static IReadOnlyList<string> SplitPermissions(string permissions) =>
        permissions.Split(';', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries);
}

public enum RoleLevel
{
    School,
    SchoolSystem,
}
