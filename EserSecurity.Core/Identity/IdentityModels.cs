using EserSecurity.Core.AccessRequests;
using EserSecurity.Core.Staff;

namespace EserSecurity.Core.Identity;

/// <summary>
/// What the console's cookie names, and all the circuit and the endpoints go by: the account (issuer + subject) and
/// the sign-in session. Written only by the console's own sign-in handlers.
/// </summary>
public sealed record SignedInAccount(string Issuer, string Subject, Guid SessionId);

/// <summary>What became of a sign-in.</summary>
public enum SignInOutcomeKind
{
    /// <summary>The account is linked to an active staff record: the person gets the console.</summary>
    Linked,

    /// <summary>The console cannot tell whose account this is: the person files a link request.</summary>
    NeedsLinkRequest,

    /// <summary>The account's link request waits for a coordinator.</summary>
    LinkRequestPending,

    /// <summary>The account's last link request was refused and the person has not been told yet.</summary>
    LinkRequestRefused,

    /// <summary>No console and no session: for example the linked staff record has ended. <see cref="SignInOutcome.Message"/> says why.</summary>
    Refused,
}

/// <summary>
/// The result of <see cref="SignOnLinks.SignInAsync"/>. Every kind but <see cref="SignInOutcomeKind.Refused"/> starts a
/// session, whose id the cookie carries.
/// </summary>
public sealed record SignInOutcome(SignInOutcomeKind Kind, Guid? SessionId, LinkedPerson? Person, string? Message)
{
    public bool StartsSession => SessionId is not null;
}

/// <summary>What an open circuit or a request finds when it re-checks a signed-in account.</summary>
public enum SignedInStatus
{
    /// <summary>Linked to an active staff record, session live.</summary>
    Person,

    /// <summary>Session live, but the account is not linked (yet): the not-linked page.</summary>
    NotLinked,

    /// <summary>Session live and linked, but the staff record has ended: no console.</summary>
    NoConsole,

    /// <summary>The session ended (signed out, unlinked) or never existed: treat as signed out.</summary>
    SignedOut,
}

/// <summary>The re-check's answer; <see cref="Person"/> is set only for <see cref="SignedInStatus.Person"/>.</summary>
public sealed record SignedInCheck(SignedInStatus Status, LinkedPerson? Person, string? Message)
{
    public static readonly SignedInCheck SignedOut = new(SignedInStatus.SignedOut, null, null);
}

/// <summary>The link request form: the Staff ID the person claims, their school system and (optionally) school.</summary>
public sealed record LinkRequestForm(string? StaffId, int? SchoolSystemId, int? SchoolId);

/// <summary>Where the signed-in account stands with its link: for the not-linked page.</summary>
public sealed record OwnLinkStatus(SignedInStatus Status, OwnLinkRequest? Pending, OwnLinkRequest? UnseenRefusal);

/// <summary>One of the person's own link requests as they see it.</summary>
public sealed record OwnLinkRequest(
    int Id, string ClaimedStaffId, string SchoolSystemName, string? SchoolName, DateTimeOffset FiledAt,
    LinkRequestState State, string? RefusalReason, DateTimeOffset? DecidedAt);

/// <summary>A school system and its open schools, offered on the link request form.</summary>
public sealed record LinkRequestSchoolSystem(int Id, string Code, string Name, IReadOnlyList<LinkRequestSchool> Schools);

public sealed record LinkRequestSchool(int Id, string Name);

/// <summary>
/// A pending link request as a coordinator sees it: who filed it, what they claim, the directory's record for the
/// claimed Staff ID when that record is in the coordinator's scope (null otherwise), and how far the console has
/// followed it up (<see cref="LinkRequestFollowUp"/>) and when.
/// </summary>
public sealed record PendingLinkRequestRow(
    int Id,
    string? DisplayName,
    string Issuer,
    string ClaimedStaffId,
    int SchoolSystemId,
    string SchoolSystemName,
    string? SchoolName,
    DateTimeOffset FiledAt,
    DirectoryMatch? DirectoryRecord,
    WaitingFollowUp FollowUp = WaitingFollowUp.None,
    DateTimeOffset? FollowedUpAt = null);

/// <summary>The directory's record for a claimed Staff ID, and whether a confirmation would be accepted.</summary>
public sealed record DirectoryMatch(
    int StaffMemberId, string Name, string Position, EmploymentStatus EmploymentStatus, string? SchoolSystemName,
    bool AlreadyLinkedAtIssuer);

/// <summary>A sign-on account linked to a person, for the linked accounts list and unlinking.</summary>
public sealed record LinkedAccountRow(
    int Id,
    int StaffMemberId,
    string PersonName,
    string StaffId,
    string? SchoolSystemName,
    string Issuer,
    string Subject,
    DateTimeOffset LinkedAt,
    SignOnLinkMethod LinkedHow,
    string? LinkedByName);

/// <summary>A refusal of a link operation (bad input, already decided), with a message for the user.</summary>
public sealed class LinkRequestRefusedException(string message) : Exception(message);
