namespace EserSecurity.Core.Coordinators;

/// <summary>A deputy to name: who is away, who covers, in which school system, from the first to the last day (both included).</summary>
public sealed record NewDeputy(int AbsentId, int DeputyId, int SchoolSystemId, DateOnly FirstDay, DateOnly LastDay, string? Note = null);

/// <summary>Where a deputyship stands today.</summary>
public enum DeputyState
{
    /// <summary>Waits for a district coordinator's approval: the deputy does not coordinate or supervise in the school system.</summary>
    AwaitingApproval,

    /// <summary>Approved; its first day is still ahead.</summary>
    Upcoming,

    /// <summary>The deputy decides the absent person's requests today.</summary>
    InForce,
}

/// <summary>One current or coming deputyship as the deputies page lists it, with what the reader may do to it.</summary>
public sealed record DeputyRow(
    int Id, int AbsentId, string AbsentName, int DeputyId, string DeputyName, int SchoolSystemId, string SchoolSystemName, DateOnly FirstDay, DateOnly LastDay,
    DeputyState State, string NamedBy, string? Note, bool CanApprove, bool CanCancel);

/// <summary>A coordinator or supervisor the reader may name a deputy for, in one school system (the reader themselves, or one they administer).</summary>
public sealed record DeputyAbsentChoice(int StaffMemberId, string Name, int SchoolSystemId, string SchoolSystemName, bool IsSelf);

/// <summary>A person who may deputize in a school system; <paramref name="Assigned"/>: they coordinate or supervise there, so need no approval.</summary>
public sealed record DeputyCandidate(int StaffMemberId, string Name, string StaffId, string Position, bool Assigned);

/// <summary>A deputy currently in force, as the coordinator tree shows it beside the school system.</summary>
public sealed record CurrentDeputy(string AbsentName, string DeputyName, DateOnly LastDay);

/// <summary>A deputy cannot be named, approved or cancelled as asked; the message says why and is safe to show.</summary>
public sealed class DeputyRefusedException(string message) : AssignmentRefusedException(message);
