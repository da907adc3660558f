using EserSecurity.Core.Audit;
using EserSecurity.Core.Changes;
using EserSecurity.Core.Security;

namespace EserSecurity.Core.Grants;

/// <summary>What ending a grant changed: its audit entry and the change to publish once the transaction commits.</summary>
public sealed record EndedGrant(AuditEntry Audit, AccessChange Change);

/// <summary>
/// The one way a grant ends, whoever ends it (a coordinator, a leaver or mover from the staff directory, a change of
/// duties, a completed access review): the grant keeps when, by whom (null for the system) and why, and nothing is
/// deleted. The caller checks scope, saves, appends <see cref="EndedGrant.Audit"/> in the same transaction and publishes
/// <see cref="EndedGrant.Change"/> after the commit.
/// </summary>
public static class GrantEnding
{
    /// <summary>The note a reason keeps, trimmed; a manual end needs one, for the others it adds detail.</summary>
    public static string? RequireNote(GrantEndReason reason, string? note)
    {
        note = string.IsNullOrWhiteSpace(note) ? null : note.Trim();
        if (note is null && reason == GrantEndReason.Manual)
        {
            throw new GrantRefusedException("Say why the grant ends; the person sees it under their access and it is kept in the record.");
        }
        if (note?.Length > AccessGrant.EndNoteMaxLength)
        {
            throw new GrantRefusedException($"Keep the reason to {AccessGrant.EndNoteMaxLength} characters.");
        }
        return TextRules.ProseProblem(note, "the reason", AccessGrant.EndNoteMaxLength) is { } problem ? throw new GrantRefusedException(problem) : note;
    }

    /// <summary>Ends an active grant now. An ended grant is refused: whoever ends it second is told it already ended.</summary>
    public static EndedGrant End(this AccessGrant grant, DateTimeOffset now, int? endedById, GrantEndReason reason, string? note)
    {
        ArgumentNullException.ThrowIfNull(grant);
        if (!grant.IsActive)
        {
            throw new GrantRefusedException($"That grant already ended on {grant.EndedAt:MMMM d, yyyy}.");
        }
        note = RequireNote(reason, note);
        grant.EndedAt = now;
        grant.EndedById = endedById;
        grant.EndReason = reason;
        grant.EndNote = note;
        grant.ConcurrencyToken = Guid.NewGuid();
        var audit = new AuditEntry("AccessGrant.Ended", nameof(AccessGrant), grant.Id.ToString(System.Globalization.CultureInfo.InvariantCulture),
            grant.SchoolSystemId, new { Active = true }, new { EndedAt = now, Reason = reason.ToString(), Note = note });
        var change = new AccessChange(AccessChangeKind.GrantEnded, grant.SchoolSystemId, grant.SchoolId, grant.AccessRequestId,
            endedById, now, grant.StaffMemberId);
        return new EndedGrant(audit, change);
    }
}

/// <summary>A grant cannot be ended as asked; the message says why and is safe to show.</summary>
public sealed class GrantRefusedException(string message) : Exception(message);
