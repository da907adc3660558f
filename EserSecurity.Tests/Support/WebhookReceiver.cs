using System.Net;
using EserSecurity.Core.Provisioning;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace EserSecurity.Tests.Support;

/// <summary>
/// A webhook receiver on a loopback port (real Kestrel, real HTTP): records every delivery as it arrived and answers each
/// with the next planned status, 200 once the plan runs out.
/// </summary>
public sealed class WebhookReceiver : IAsyncDisposable
{
    private readonly WebApplication _app;
    private readonly Lock _gate = new();
    private readonly List<Delivery> _received = [];
    private readonly Queue<HttpStatusCode> _plan = new();

    private WebhookReceiver(WebApplication app) => _app = app;

    /// <summary>The address to register as the client's webhook.</summary>
    public string Url { get; private set; } = "";

    public IReadOnlyList<Delivery> Received
    {
        get
        {
            lock (_gate)
            {
                return [.. _received];
            }
        }
    }

    public static async Task<WebhookReceiver> StartAsync()
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.WebHost.UseKestrel(k => k.Listen(IPAddress.Loopback, 0));
        var app = builder.Build();
        var receiver = new WebhookReceiver(app);
        app.MapPost("/hook", receiver.ReceiveAsync);
        await app.StartAsync();
        var address = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.Single();
        receiver.Url = address.TrimEnd('/') + "/hook";
        return receiver;
    }

    /// <summary>The statuses the next deliveries get, in order.</summary>
    public void Answer(params HttpStatusCode[] statuses)
    {
        lock (_gate)
        {
            foreach (var status in statuses)
            {
                _plan.Enqueue(status);
            }
        }
    }

    /// <summary>Waits until the receiver has acknowledged the change with <paramref name="cursor"/>; the bound only keeps a broken run from hanging.</summary>
    public async Task WaitForAcknowledgedAsync(long cursor)
    {
        using var bound = new CancellationTokenSource(TimeSpan.FromSeconds(60));
        while (!Received.Any(d => d.Status == HttpStatusCode.OK && d.Changes.Any(c => c.Cursor == cursor)))
        {
            await Task.Delay(20, bound.Token);
        }
    }

    private async Task ReceiveAsync(HttpContext context)
    {
        using var buffer = new MemoryStream();
        await context.Request.Body.CopyToAsync(buffer);
        var headers = context.Request.Headers;
        HttpStatusCode status;
        lock (_gate)
        {
            status = _plan.TryDequeue(out var planned) ? planned : HttpStatusCode.OK;
            _received.Add(new Delivery(buffer.ToArray(), headers.ContentType.ToString(), headers[WebhookSender.IdHeader].ToString(),
                headers[WebhookSender.TimestampHeader].ToString(), headers[WebhookSender.SignatureHeader].ToString(), status));
        }
        context.Response.StatusCode = (int)status;
    }

    public async ValueTask DisposeAsync() => await _app.DisposeAsync();

    /// <summary>One delivery as it arrived, and what the receiver answered.</summary>
    public sealed record Delivery(byte[] Body, string ContentType, string Id, string Timestamp, string Signature, HttpStatusCode Status)
    {
        public DecisionChangePage Page => System.Text.Json.JsonSerializer.Deserialize<DecisionChangePage>(Body, WebhookSender.Json)!;

        public IReadOnlyList<DecisionChangeItem> Changes => Page.Changes;
    }
}
