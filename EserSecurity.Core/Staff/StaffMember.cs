using EserSecurity.Core.SchoolSystems;

namespace EserSecurity.Core.Staff;

/// <summary>A person in the state staff directory.</summary>
public class StaffMember
{
    public const int StaffIdMinLength = 6;
    public const int StaffIdMaxLength = 20;
    public const int UsernameMaxLength = 100;
    public const int NameMaxLength = 100;
    public const int EmailMaxLength = 256;
    public const int PositionMaxLength = 100;

    public int Id { get; set; }

    /// <summary>
    /// Whether text has the form of an eScholar Staff ID: 6 to 20 digits and nothing else. No name has that form, so a
    /// search for such a term looks up the Staff ID alone, through its unique index.
    /// </summary>
    public static bool IsStaffId(string text) =>
        text.Length is >= StaffIdMinLength and <= StaffIdMaxLength && !text.AsSpan().ContainsAnyExceptInRange('0', '9');

    /// <summary>The eScholar Staff ID, the state's unique identifier for a staff member.</summary>
    public required string StaffId { get; set; }

    /// <summary>The state sign-on (MyLA) username; null until the person's account is linked.</summary>
    public string? Username { get; set; }

    public required string FirstName { get; set; }

    public required string LastName { get; set; }

    public required string Email { get; set; }

    /// <summary>The employing school system; null for staff of the state education agency.</summary>
    public int? SchoolSystemId { get; set; }

    public SchoolSystem? SchoolSystem { get; set; }

    public required string Position { get; set; }

    public EmploymentStatus EmploymentStatus { get; set; }

    /// <summary>
    /// The day employment ended (status Ended), or the day it is to end (any other status): a scheduled end, which the
    /// console applies on that day (<see cref="EndIsScheduled"/>).
    /// </summary>
    public DateOnly? EmploymentEndedOn { get; set; }

    /// <summary>Whether an end of employment on <see cref="EmploymentEndedOn"/> is still to be applied.</summary>
    public static bool EndIsScheduled(EmploymentStatus status, DateOnly? endedOn) => status != EmploymentStatus.Ended && endedOn is not null;

    public List<StaffSchool> Schools { get; set; } = [];

    public string FullName => $"{FirstName} {LastName}";
}

public enum EmploymentStatus
{
    Active,
    Ended,

    /// <summary>
    /// On leave: still employed, but like an ended person holds no console scope until the directory reports them active
    /// again (<see cref="Security.ScopeService"/> gives scope to active people only).
    /// </summary>
    Leave,
}

/// <summary>A school a staff member works at.</summary>
public class StaffSchool
{
    public int StaffMemberId { get; set; }

    public int SchoolId { get; set; }

    public School? School { get; set; }
}
