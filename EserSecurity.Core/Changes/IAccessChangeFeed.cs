namespace EserSecurity.Core.Changes;

/// <summary>
/// Publishes committed changes to everyone watching. In-process by default; a cross-server transport
/// (for several web instances) replaces it behind this interface.
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
