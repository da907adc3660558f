using EserSecurity.Core.Assurance;
using EserSecurity.Core.AccessRequests;
using EserSecurity.Core.Home;

namespace EserSecurity.Core.Readiness;

/// <summary>
/// How ready a school system or school is for go-live. The people counted are legacy SER users: active staff whom the
/// TAS report lists with active SER access there. Ready means an approved (active) eSER grant in the school system
/// and this school year's confidentiality assurance signed.
/// </summary>
/// <param name="RequestPending">Of those without a grant, how many have a request pending.</param>
/// <param name="LockedOut">From go-live day on: those without an approved eSER role, who cannot reach eSER. Zero before.</param>
public sealed record ReadinessFigures(int LegacyUsers, int WithGrant, int WithAssurance, int Ready, int RequestPending, int LockedOut)
{
    public static readonly ReadinessFigures None = new(0, 0, 0, 0, 0, 0);

    public int NotReady => LegacyUsers - Ready;

    /// <summary>Ready as a share of legacy SER users, 0 to 100; null where the TAS report lists nobody.</summary>
    public double? PercentReady => LegacyUsers == 0 ? null : 100.0 * Ready / LegacyUsers;

    public ReadinessFigures Plus(ReadinessFigures other) => new(
        LegacyUsers + other.LegacyUsers, WithGrant + other.WithGrant, WithAssurance + other.WithAssurance,
        Ready + other.Ready, RequestPending + other.RequestPending, LockedOut + other.LockedOut);
}

/// <param name="UnsignedIepForms">
/// Active IEP Forms grants whose holder has not signed this school year's assurance after the grace period; the board's
/// <see cref="ReadinessBoard.UnsignedIepFormsMarking"/> says whether they are flagged or suspended.
/// </param>
public sealed record SchoolSystemReadinessRow(int SchoolSystemId, string Code, string Name, ReadinessFigures Figures, int UnsignedIepForms = 0)
{
    /// <summary>No legacy SER user is recorded: the school system's TAS report has not been imported.</summary>
    public bool HasNoTasReport => Figures.LegacyUsers == 0;
}

/// <summary>One school's figures; <see cref="SchoolId"/> is null for access TAS listed without a site.</summary>
public sealed record SchoolReadinessRow(int? SchoolId, string? SiteCode, string Name, ReadinessFigures Figures);

/// <summary>The readiness board: the countdown, and the school systems in the caller's scope with their figures and total.</summary>
/// <param name="HasGoneLive">Go-live day has come: people without an approved role are locked out.</param>
/// <param name="Total">The sum of the rows; a person TAS lists in two school systems counts in each.</param>
/// <param name="UnsignedIepFormsMarking">How IEP Forms grants of people who have not signed are marked today (in force during the grace period).</param>
public sealed record ReadinessBoard(
    GoLiveCountdown? GoLive, bool HasGoneLive, string SchoolYearLabel, ReadinessFigures Total, IReadOnlyList<SchoolSystemReadinessRow> SchoolSystems,
    IepFormsStanding UnsignedIepFormsMarking = IepFormsStanding.InForce);

/// <summary>One school system's readiness with a row per school.</summary>
public sealed record SchoolSystemReadiness(
    GoLiveCountdown? GoLive, bool HasGoneLive, string SchoolYearLabel, SchoolSystemReadinessRow SchoolSystem, IReadOnlyList<SchoolReadinessRow> Schools);

public enum ReadinessSort
{
    PercentReady,
    Name,
    LegacyUsers,
    NotReady,
}

/// <summary>Why a legacy SER user is not ready, the first thing that is missing.</summary>
public enum NotReadyReason
{
    /// <summary>No approved eSER role and no request for one.</summary>
    NoRequest,

    /// <summary>No approved eSER role yet; a request waits for a coordinator or the supervisor.</summary>
    RequestPending,

    /// <summary>An approved eSER role, but this school year's assurance is not signed.</summary>
    AssuranceNotSigned,
}

/// <summary>The oldest pending request of a person, and who it waits for now (empty: no coordinator covers it).</summary>
public sealed record PendingRequestInfo(int RequestId, string RoleName, string ScopeName, AccessRequestStatus Status, IReadOnlyList<string> WaitingFor);

/// <summary>A legacy SER user who is not ready, and why.</summary>
/// <param name="TasSchools">The schools TAS lists them at in the school system ("no site" for access without one).</param>
public sealed record NotReadyPerson(
    int StaffMemberId,
    string FirstName,
    string LastName,
    string StaffId,
    string Position,
    IReadOnlyList<string> TasSchools,
    NotReadyReason Reason,
    bool HasGrant,
    bool AssuranceSigned,
    PendingRequestInfo? PendingRequest,
    bool IsLockedOut,
    string Explanation)
{
    public string Name => $"{FirstName} {LastName}";
}

/// <summary>
/// The drill-down: the not-ready people of one school system, of one of its schools, or (<see cref="WithoutSiteOnly"/>) of
/// its access listed without a site; optionally of one reason or matching a name or Staff ID; sorted by name and paged.
/// </summary>
public sealed record NotReadyQuery(
    int SchoolSystemId,
    int? SchoolId = null,
    bool WithoutSiteOnly = false,
    NotReadyReason? Reason = null,
    string? Search = null,
    int Page = 0,
    int PageSize = 25);
