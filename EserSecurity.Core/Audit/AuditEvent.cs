namespace EserSecurity.Core.Audit;

/// <summary>
/// One append-only audit record. Each event's hash covers its content and the previous event's hash,
/// so altering or removing any row breaks the chain from that point on.
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
}

/// <summary>The single row that holds the end of the audit chain; updating it first serialises writers.</summary>
public class AuditChainHead
{
    public const int SingletonId = 1;

    public int Id { get; set; } = SingletonId;

    public long LastSequence { get; set; }

    public required string LastHash { get; set; }
}
