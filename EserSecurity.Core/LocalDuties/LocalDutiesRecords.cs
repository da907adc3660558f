using EserSecurity.Core.Staff;

namespace EserSecurity.Core.LocalDuties;

/// <summary>An uploaded PDF of a school system's written security policy. Kept when a newer one replaces it.</summary>
public class LocalPolicyDocument
{
    public const int FileNameMaxLength = 200;
    public const int LinkMaxLength = 500;

    /// <summary>The largest policy PDF accepted: 5 MB.</summary>
    public const int MaxBytes = 5 * 1024 * 1024;

    public int Id { get; set; }

    public int SchoolSystemId { get; set; }

    public required string FileName { get; set; }

    public required byte[] Content { get; set; }

    public DateTimeOffset UploadedAt { get; set; }

    public int UploadedById { get; set; }
}

/// <summary>A local security training session a school system held, with who attended.</summary>
public class LocalTrainingSession
{
    public const int TopicMaxLength = 200;

    public int Id { get; set; }

    public int SchoolSystemId { get; set; }

    public DateOnly HeldOn { get; set; }

    public required string Topic { get; set; }

    public DateTimeOffset RecordedAt { get; set; }

    public int RecordedById { get; set; }

    public List<LocalTrainingAttendee> Attendees { get; set; } = [];
}

/// <summary>One staff member who attended a local training session.</summary>
public class LocalTrainingAttendee
{
    public int LocalTrainingSessionId { get; set; }

    public int StaffMemberId { get; set; }

    public StaffMember? StaffMember { get; set; }
}
