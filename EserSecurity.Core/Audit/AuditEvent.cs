namespace EserSecurity.Core.Audit;

/// <summary>
/// One append-only audit record. Each event's hash covers its content and the previous event's hash, keyed with the
/// chain's secret (<see cref="AuditChainKey"/>), so altering or removing any row breaks the chain from that point on and
/// only someone holding the key could write a chain that verifies again.
/// </summary>
public class AuditEvent
{
    public const int ActionMaxLength = 80;
    public const int EntityTypeMaxLength = 80;
    public const int EntityIdMaxLength = 80;
    public const int ActorNameMaxLength = 200;
    public const int HashLength = 64;

    /// <summary>The position in the chain, 1 for the first event.</summary>
    public long Sequence { get; set; }

    public DateTimeOffset At { get; set; }

    /// <summary>The staff record of the person who acted; null for the system itself.</summary>
    public int? ActorId { get; set; }

    public required string ActorName { get; set; }

    public required string Action { get; set; }

    public required string EntityType { get; set; }

    public required string EntityId { get; set; }

    /// <summary>The school system the change belongs to, for scoped reading; null for statewide changes.</summary>
    public int? SchoolSystemId { get; set; }

    public string? Before { get; set; }

    public string? After { get; set; }

    public required string PreviousHash { get; set; }

    public required string Hash { get; set; }

    /// <summary>
    /// Whether <see cref="Hash"/> is keyed (HMAC-SHA-256). Events written before the chain was keyed carry a plain
    /// SHA-256; the first keyed event covers their last hash, and no unkeyed event may follow a keyed one.
    /// </summary>
    public bool Keyed { get; set; }
}

/// <summary>One check of the whole chain: when, who asked (null: the daily check), and what it found.</summary>
public class AuditVerification
{
    public const int ProblemMaxLength = 500;

    public int Id { get; set; }

    public DateTimeOffset At { get; set; }

    public int? RequestedById { get; set; }

    public bool IsIntact { get; set; }

    public long EventsChecked { get; set; }

    public long? FirstBrokenSequence { get; set; }

    public string? Problem { get; set; }

    /// <summary>The head the check verified up to: its event number and keyed hash, the proof a later check can compare with.</summary>
    public long HeadSequence { get; set; }

    public required string HeadHash { get; set; }
}

/// <summary>The single row that holds the end of the audit chain; updating it first serialises writers.</summary>
public class AuditChainHead
{
    public const int SingletonId = 1;

    public int Id { get; set; } = SingletonId;

    public long LastSequence { get; set; }

    public required string LastHash { get; set; }
}
