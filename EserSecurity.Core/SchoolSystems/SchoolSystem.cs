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
}
