namespace EserSecurity.Core.Changes;

/// <summary>
/// Publishes committed changes to everyone watching. In-process by default; a cross-server transport
/// (for several web instances) replaces it behind this interface.
/// </summary>
public interface IAccessChangeFeed
{
    void Publish(AccessChange change);

    /// <summary>Calls the handler for every change published until the subscription is disposed.</summary>
    IDisposable Subscribe(Func<AccessChange, Task> handler);
}
