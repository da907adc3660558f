namespace EserSecurity.Core.SchoolSystems;

/// <summary>A school system (LEA): parish or city system, charter school or other local education agency.</summary>
public class SchoolSystem
{
    public const int CodeLength = 3;
    public const int NameMaxLength = 200;

    public int Id { get; set; }

    /// <summary>The 3-digit state code, once the legacy "sponsor" code.</summary>
    public required string Code { get; set; }

    public required string Name { get; set; }

    public SchoolSystemKind Kind { get; set; }

    /// <summary>The LEA's local security and confidentiality policy as last recorded.</summary>
    public LocalSecurityPolicy SecurityPolicy { get; set; } = new();

    public List<School> Schools { get; set; } = [];
}

public enum SchoolSystemKind
{
    ParishOrCitySystem,
    Charter,
    Other,
}

/// <summary>What the deck asks every LEA to have: a written policy that covers IEP security and annual training.</summary>
public class LocalSecurityPolicy
{
    public DateOnly? WrittenPolicyAdoptedOn { get; set; }

    public bool IncludesIepSecurity { get; set; }

    public DateOnly? LastAnnualTrainingOn { get; set; }

    /// <summary>How often the school system reviews every active grant: the kind of each access review opened for it.</summary>
    public Reviews.AccessReviewKind ReviewCadence { get; set; }
    /// <summary>The uploaded PDF of the written policy, when it was uploaded rather than linked.</summary>
    public int? PolicyDocumentId { get; set; }

    /// <summary>An https address where the written policy is published, when it is linked rather than uploaded.</summary>
    public string? PolicyLink { get; set; }

    /// <summary>The date of the school system's written procedure to remove access.</summary>
    public DateOnly? RemovalProcedureOn { get; set; }
}
