namespace EserSecurity.Core.Roles;

/// <summary>A legacy TAS role for SER, and the one eSER role and permission it maps to.</summary>
public class TasRole
{
    public const int NameMaxLength = 100;

    public int Id { get; set; }

    public required string Name { get; set; }

    /// <summary>The eSER role it maps to; null while unmapped.</summary>
    public int? EserRoleId { get; set; }

    public EserRole? EserRole { get; set; }

    /// <summary>The one EdLink Security permission of the mapped role this TAS role corresponds to.</summary>
    public string? EserPermission { get; set; }
}
