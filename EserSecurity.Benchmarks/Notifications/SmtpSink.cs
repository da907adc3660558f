using System.Net;
using System.Net.Sockets;
using System.Text;

namespace EserSecurity.Benchmarks.Notifications;

/// <summary>
/// The mail relay a console sends to, on loopback in this process: it speaks what MailKit needs of SMTP and announces
/// what relays announce (PIPELINING, 8BITMIME, SIZE), counts the messages it accepts and keeps none of them. A relay
/// is another machine in production; kept in the process, its work still counts against the decisions, but it neither
/// parses nor holds the messages, so what the process keeps alive between collections is the console's own.
/// </summary>
internal sealed class SmtpSink : IAsyncDisposable
{
    private static readonly ReadOnlyMemory<byte> Greeting = "220 relay ESMTP\r\n"u8.ToArray();
    private static readonly ReadOnlyMemory<byte> Extensions = "250-relay\r\n250-PIPELINING\r\n250-8BITMIME\r\n250 SIZE 52428800\r\n"u8.ToArray();
    private static readonly ReadOnlyMemory<byte> Ok = "250 OK\r\n"u8.ToArray();
    private static readonly ReadOnlyMemory<byte> StartData = "354 End data with <CR><LF>.<CR><LF>\r\n"u8.ToArray();
    private static readonly ReadOnlyMemory<byte> Bye = "221 Bye\r\n"u8.ToArray();
    private static readonly ReadOnlyMemory<byte> Unknown = "502 Not implemented\r\n"u8.ToArray();

    private readonly TcpListener _listener = new(IPAddress.Loopback, 0);
    private readonly CancellationTokenSource _stop = new();
    private readonly Task _accepting;
    private int _received;

    public SmtpSink()
    {
        _listener.Start();
        _accepting = AcceptAsync();
    }

    public int Port => ((IPEndPoint)_listener.LocalEndpoint).Port;

    /// <summary>The messages accepted since the last <see cref="Clear"/>.</summary>
    public int Received => Volatile.Read(ref _received);

    public void Clear() => Interlocked.Exchange(ref _received, 0);

    private async Task AcceptAsync()
    {
        try
        {
            while (true)
            {
                var client = await _listener.AcceptTcpClientAsync(_stop.Token);
                _ = ServeAsync(client, _stop.Token);
            }
        }
        catch (OperationCanceledException)
        {
        }
    }

    private async Task ServeAsync(TcpClient client, CancellationToken ct)
    {
        using var connection = client;
        try
        {
            var stream = connection.GetStream();
            await stream.WriteAsync(Greeting, ct);
            // Message lines are at most 998 characters, so one buffer always holds a whole line.
            var buffer = new byte[16 * 1024];
            // The replies to pipelined commands go back together, once every command read so far is answered, as relays
            // answer them: one small write per reply would wait for the client's delayed acknowledgement of the one before.
            var replies = new MemoryStream(256);
            int start = 0, end = 0;
            var inData = false;
            while (true)
            {
                var newline = buffer.AsSpan(start, end - start).IndexOf("\r\n"u8);
                if (newline < 0)
                {
                    if (replies.Length > 0)
                    {
                        await stream.WriteAsync(replies.GetBuffer().AsMemory(0, (int)replies.Length), ct);
                        replies.SetLength(0);
                    }
                    buffer.AsSpan(start, end - start).CopyTo(buffer);
                    end -= start;
                    start = 0;
                    if (end == buffer.Length)
                    {
                        throw new InvalidDataException("An SMTP line longer than the sink's buffer.");
                    }
                    var read = await stream.ReadAsync(buffer.AsMemory(end), ct);
                    if (read == 0)
                    {
                        return;
                    }
                    end += read;
                    continue;
                }
                var line = buffer.AsSpan(start, newline);
                start += newline + 2;
                if (inData)
                {
                    if (line.SequenceEqual("."u8))
                    {
                        inData = false;
                        Interlocked.Increment(ref _received);
                        replies.Write(Ok.Span);
                    }
                    continue;
                }
                var verb = line.Length >= 4 ? Verb(line[..4]) : Command.Other;
                replies.Write(verb switch
                {
                    Command.Ehlo => Extensions.Span,
                    Command.Accept => Ok.Span,
                    Command.Data => StartData.Span,
                    Command.Quit => Bye.Span,
                    _ => Unknown.Span,
                });
                inData = verb == Command.Data;
                if (verb == Command.Quit)
                {
                    await stream.WriteAsync(replies.GetBuffer().AsMemory(0, (int)replies.Length), ct);
                    return;
                }
            }
        }
        catch (Exception ex) when (ex is IOException or SocketException or OperationCanceledException or InvalidDataException)
        {
            // A client that goes away ends its session; the count stays as it is.
        }
    }

    private enum Command
    {
        Ehlo,
        Accept,
        Data,
        Quit,
        Other,
    }

    private static Command Verb(ReadOnlySpan<byte> verb) =>
        Ascii.EqualsIgnoreCase(verb, "EHLO"u8) ? Command.Ehlo
        : Ascii.EqualsIgnoreCase(verb, "HELO"u8) || Ascii.EqualsIgnoreCase(verb, "MAIL"u8) || Ascii.EqualsIgnoreCase(verb, "RCPT"u8)
            || Ascii.EqualsIgnoreCase(verb, "RSET"u8) || Ascii.EqualsIgnoreCase(verb, "NOOP"u8) ? Command.Accept
        : Ascii.EqualsIgnoreCase(verb, "DATA"u8) ? Command.Data
        : Ascii.EqualsIgnoreCase(verb, "QUIT"u8) ? Command.Quit
        : Command.Other;

    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync();
        _listener.Stop();
        await _accepting;
        _stop.Dispose();
    }
}
