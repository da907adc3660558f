namespace EserSecurity.Core.LocalDuties;

/// <summary>A school system's own duties as its page shows them.</summary>
/// <param name="CanRecord">Whether the reader may record them: a district coordinator of the school system or a state administrator.</param>
public sealed record LocalDutiesView(
    int SchoolSystemId,
    string Code,
    string Name,
    DateOnly? PolicyAdoptedOn,
    bool IncludesIepSecurity,
    PolicyDocumentInfo? Document,
    string? PolicyLink,
    DateOnly? RemovalProcedureOn,
    IReadOnlyList<TrainingSessionRow> Sessions,
    IReadOnlyList<DutyHolder> DutyHolders,
    LocalDutiesStatus Status,
    bool CanRecord);

/// <summary>The uploaded policy PDF, without its content.</summary>
public sealed record PolicyDocumentInfo(int Id, string FileName, int SizeBytes, DateTimeOffset UploadedAt);

/// <summary>A training session with its attendees' names.</summary>
public sealed record TrainingSessionRow(int Id, DateOnly HeldOn, string Topic, IReadOnlyList<string> Attendees);

/// <summary>A coordinator or supervisor of the school system and their last local training.</summary>
public sealed record DutyHolder(int StaffMemberId, string Name, string Duty, DateOnly? LastTrainedOn, bool TrainedInLast12Months);

/// <summary>What a user records of the written security policy: its adoption date and either an uploaded PDF or an https link.</summary>
/// <param name="Document">A new PDF; null keeps the one on record (unless a link replaces it).</param>
/// <param name="Link">An https address; null keeps what is on record (unless a PDF replaces it).</param>
public sealed record LocalPolicyChange(DateOnly? AdoptedOn, bool IncludesIepSecurity, PolicyUpload? Document = null, string? Link = null);

/// <summary>An uploaded file: its name and bytes.</summary>
public sealed record PolicyUpload(string FileName, byte[] Content);

/// <summary>A local duties change was refused; the message says why and is safe to show.</summary>
public sealed class LocalDutiesRefusedException(string message) : Exception(message);
