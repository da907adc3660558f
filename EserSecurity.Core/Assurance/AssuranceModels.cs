namespace EserSecurity.Core.Assurance;

/// <summary>One of the signed-in person's own signatures.</summary>
/// <param name="IsCurrentVersion">Whether the version signed is still its school year's current statement (false after a correction).</param>
public sealed record OwnSignature(
    int Id,
    SchoolYear Year,
    int StatementVersionId,
    int VersionNumber,
    string Title,
    DateTimeOffset SignedAt,
    string TypedName,
    string VerificationCode,
    bool IsCurrentVersion);

/// <summary>The signed-in person's standing this school year, for the banner every page shows until they sign.</summary>
/// <param name="OverdueFrom">The first day an unsigned statement of this year is overdue (July 1 plus the grace period).</param>
/// <param name="StatementPublished">Whether this year's statement is published, so that there is something to sign.</param>
public sealed record OwnAssuranceStatus(SchoolYear Year, AssuranceStatus Status, DateOnly OverdueFrom, bool StatementPublished)
{
    public bool ShowsBanner => Status != AssuranceStatus.Signed && StatementPublished;
}

/// <summary>What the "Sign confidentiality assurance" page shows the signed-in person.</summary>
/// <param name="OverdueFrom">The first day an unsigned statement of this year is overdue (July 1 plus the grace period).</param>
/// <param name="Statement">This school year's current statement; null while none is published.</param>
/// <param name="ExistingSignature">The person's signature of this school year, when they signed already.</param>
/// <param name="ExpectedName">The full name on the person's staff record, which the typed name must match.</param>
public sealed record SigningView(
    SchoolYear Year,
    AssuranceStatus Status,
    DateOnly OverdueFrom,
    StatementView? Statement,
    OwnSignature? ExistingSignature,
    string ExpectedName)
{
    public bool CanSign => Statement is not null && ExistingSignature is null;
}

/// <summary>
/// A signature as the signing page submits it: the version read, the indexes (from 0) of the acknowledgements ticked,
/// the full name typed, and where it came from (client address and user agent, cut to their stored length).
/// </summary>
public sealed record SignatureRequest(
    int StatementVersionId,
    IReadOnlyCollection<int> AcknowledgedIndexes,
    string TypedName,
    string? ClientAddress,
    string? UserAgent);

public enum VerificationState
{
    /// <summary>A signature of the current statement of the current school year.</summary>
    Current,

    /// <summary>A real signature, but of a version corrected since or of an earlier school year.</summary>
    Superseded,

    /// <summary>No signature has this code.</summary>
    Unknown,
}

/// <summary>
/// What the public verification page may say about a code, and nothing more about the person: their name, school
/// system, the school year and the day they signed. Every field but <see cref="State"/> is null for an unknown code.
/// </summary>
public sealed record VerificationResult(
    VerificationState State, string? SignerName, string? SchoolSystemName, string? SchoolYearLabel, DateOnly? SignedOn)
{
    public static VerificationResult Unknown { get; } = new(VerificationState.Unknown, null, null, null, null);
}
