namespace EserSecurity.Core.SchoolSystems;

/// <summary>A school site of one school system.</summary>
public class School
{
    public const int SiteCodeLength = 6;
    public const int NameMaxLength = 200;

    public int Id { get; set; }

    /// <summary>The 6-digit site code: the LEA code followed by three digits.</summary>
    public required string SiteCode { get; set; }

    public required string Name { get; set; }

    public int SchoolSystemId { get; set; }

    public SchoolSystem? SchoolSystem { get; set; }

    /// <summary>The day the school directory reported the school closed; null while open. A closed school is never deleted.</summary>
    public DateOnly? ClosedOn { get; set; }
}
