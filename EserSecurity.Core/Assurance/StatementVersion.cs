using EserSecurity.Core.Staff;

namespace EserSecurity.Core.Assurance;

/// <summary>The confidentiality assurance statement for one school year. Once published it never changes.</summary>
public class StatementVersion
{
    public const int TitleMaxLength = 200;
    public const int BodyMaxLength = 20000;
    public const int AcknowledgementMaxLength = 500;
    public const int MaxAcknowledgements = 12;

    public int Id { get; set; }

    /// <summary>The calendar year the school year starts in (2026 for 2026–27).</summary>
    public int SchoolYear { get; set; }

    /// <summary>1 for the year's first version; a correction is the next number.</summary>
    public int VersionNumber { get; set; }

    public required string Title { get; set; }

    /// <summary>The statement text: paragraphs, "# " headings and "- " list items.</summary>
    public required string Body { get; set; }

    /// <summary>The acknowledgements a signer must tick, one a line.</summary>
    public required string Acknowledgements { get; set; }

    public StatementStatus Status { get; set; }

    public DateTimeOffset? PublishedAt { get; set; }

    public int? PublishedById { get; set; }

    public StaffMember? PublishedBy { get; set; }
}

public enum StatementStatus
{
    Draft,
    Published,
}

/// <summary>A person's signature of one statement version.</summary>
public class AssuranceSignature
{
    public const int TypedNameMaxLength = 200;
    public const int VerificationCodeMaxLength = 40;
    public const int UserAgentMaxLength = 512;
    public const int ClientAddressMaxLength = 64;

    public int Id { get; set; }

    public int StaffMemberId { get; set; }

    public StaffMember? StaffMember { get; set; }

    public int StatementVersionId { get; set; }

    public StatementVersion? StatementVersion { get; set; }

    public int SchoolYear { get; set; }

    public DateTimeOffset SignedAt { get; set; }

    public required string TypedName { get; set; }

    /// <summary>The acknowledgements ticked, one a line, as shown at signing.</summary>
    public required string Acknowledgements { get; set; }

    /// <summary>SHA-256 (hex) of the exact text signed.</summary>
    public required string TextHash { get; set; }

    /// <summary>A random code (at least 80 bits) printed on the signed statement for verification.</summary>
    public required string VerificationCode { get; set; }

    public string? ClientAddress { get; set; }

    public string? UserAgent { get; set; }
}
