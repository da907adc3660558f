namespace EserSecurity.Dashboard.Hosting;

/// <summary>Where the signed-in person's browser connected from, as the HTTP request that opened the page saw it.</summary>
/// <param name="Address">The client's IP address (after forwarded-header processing, where a proxy is configured).</param>
public sealed record ClientConnection(string? Address, string? UserAgent)
{
    public static ClientConnection From(HttpContext context) =>
        new(context.Connection.RemoteIpAddress?.ToString(), context.Request.Headers.UserAgent.ToString() is { Length: > 0 } agent ? agent : null);
}

/// <summary>
/// The client address and user agent of this circuit, which a signature records. A circuit has no HTTP request of
/// its own (IHttpContextAccessor inside a circuit sees the SignalR connection at best, and nothing on some
/// transports), so <c>App.razor</c> reads them from the page request and hands them to <c>Routes</c> as a root
/// component parameter. Blazor protects root component parameters with Data Protection, so the browser cannot
/// change them; <c>Routes</c> stores them here once, in the prerendering scope and again in the circuit's scope.
/// </summary>
public sealed class ClientOrigin
{
    public ClientConnection Connection { get; private set; } = new(null, null);

    public void Capture(ClientConnection? connection)
    {
        if (connection is not null)
        {
            Connection = connection;
        }
    }
}
