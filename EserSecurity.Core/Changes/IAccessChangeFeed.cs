namespace EserSecurity.Core.Changes;

/// <summary>
/// Publishes committed changes to everyone watching: in-process on SQLite (<see cref="InProcessAccessChangeFeed"/>),
/// and across every console instance of one PostgreSQL database (<see cref="PostgresAccessChangeFeed"/>).
/// </summary>
public interface IAccessChangeFeed
{
    /// <summary>
    /// How many changes this feed has published. It moves before the change is delivered, so a read that starts after
    /// seeing a value sees every change published up to it.
    /// </summary>
    long Version { get; }

    void Publish(AccessChange change);

    /// <summary>Calls the handler for every change published until the subscription is disposed.</summary>
    IDisposable Subscribe(Func<AccessChange, Task> handler);
}
