using MimeKit;
using netDumbster.smtp;

namespace EserSecurity.Tests.Support;

/// <summary>A real SMTP server on a free loopback port (netDumbster); the messages it accepted, parsed as MIME.</summary>
public sealed class SmtpTestServer : IDisposable
{
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(10);

    private readonly SimpleSmtpServer _server;

    private SmtpTestServer(SimpleSmtpServer server) => _server = server;

    public static SmtpTestServer Start() => new(Configuration.Configure().WithAddress(System.Net.IPAddress.Loopback).WithRandomPort().Build());

    /// <summary>Starts on a given port: a test first lets mail fail against <see cref="FreePort"/>, then starts the server there.</summary>
    public static SmtpTestServer Start(int port) => new(Configuration.Configure().WithAddress(System.Net.IPAddress.Loopback).WithPort(port).Build());

    /// <summary>A loopback port nothing listens on (yet).</summary>
    public static int FreePort()
    {
        using var listener = new System.Net.Sockets.TcpListener(System.Net.IPAddress.Loopback, 0);
        listener.Start();
        return ((System.Net.IPEndPoint)listener.LocalEndpoint).Port;
    }

    public int Port => _server.Configuration.Port;

    /// <summary>Every message accepted so far, in order.</summary>
    public IReadOnlyList<MimeMessage> Messages =>
        _server.ReceivedEmail.Select(m => MimeMessage.Load(new MemoryStream(System.Text.Encoding.UTF8.GetBytes(m.Data)))).ToList();

    /// <summary>Waits until at least <paramref name="count"/> messages arrived; fails the test if they do not.</summary>
    public async Task<IReadOnlyList<MimeMessage>> WaitForAsync(int count)
    {
        var deadline = DateTime.UtcNow + Patience;
        while (_server.ReceivedEmailCount < count)
        {
            if (DateTime.UtcNow > deadline)
            {
                throw new Xunit.Sdk.XunitException($"Expected {count} message(s); {_server.ReceivedEmailCount} arrived.");
            }
            await Task.Delay(20);
        }
        return Messages;
    }

    public void Dispose() => _server.Dispose();
}
