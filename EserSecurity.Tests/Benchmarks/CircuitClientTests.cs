extern alias benchmarks;

using System.Globalization;
using System.Text;
using benchmarks::EserSecurity.Benchmarks.Circuits;
using EserSecurity.Core.AccessRequests;
using EserSecurity.Core.Data;
using EserSecurity.DemoState;
using EserSecurity.Tests.Browser;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace EserSecurity.Tests.Benchmarks;

/// <summary>The circuit load benchmark's headless client against the real console, and its render batch reader.</summary>
[Collection(BrowserCollection.Name)]
public sealed class CircuitClientTests(ConsoleServer server)
{
    private const int Circuits = 3;

    [Fact]
    public async Task QueueCircuits_WhenACoordinatorApprovesTheOldestRequest_EachReceivesTheBatchThatDropsItsRow()
    {
        using var timeout = new CancellationTokenSource(TimeSpan.FromMinutes(3));
        var observer = await server.SignInAsync(DemoPeople.DistrictCoordinator2);
        var cookie = string.Join("; ", (await observer.Context.CookiesAsync()).Select(c => $"{c.Name}={c.Value}"));
        await observer.Context.CloseAsync();
        var decider = new BrowserDecider(await server.SignInAsync(DemoPeople.DistrictCoordinator));
        await decider.OpenQueueAsync();

        using var http = new HttpClient(new SocketsHttpHandler { UseCookies = false });
        var circuits = new List<QueueCircuit>();
        try
        {
            for (var i = 0; i < Circuits; i++)
            {
                circuits.Add(await QueueCircuit.OpenAsync(http, server.BaseUrl, "/queue", cookie, timeout.Token));
            }
            var requestId = await decider.FirstRequestAsync();
            var totalsBefore = circuits.Select(c => TotalOf(c.Total)).ToList();
            await decider.PrepareAsync(requestId);
            var drops = circuits.Select(c => c.WatchRowDrop(requestId)).ToList();

            var decision = await decider.ApproveAsync(requestId);
            var dropped = await Task.WhenAll(drops).WaitAsync(timeout.Token);

            Assert.Equal(requestId, decision.RequestId);
            Assert.All(circuits, c => Assert.Null(c.Failure));
            Assert.Equal(totalsBefore.Select(t => t - 1), circuits.Select(c => TotalOf(c.Total)));
            Assert.All(dropped, d => Assert.True(d.Edits > 0 && d.Bytes > 0, $"The row's batch had {d.Edits} edits in {d.Bytes} bytes."));
            await using var db = await server.Services.GetRequiredService<IDbContextFactory<EserSecurityDbContext>>().CreateDbContextAsync();
            var stampedAt = await db.AccessRequestSteps
                .Where(s => s.AccessRequestId == requestId && s.Action == AccessRequestAction.CoordinatorApproved).Select(s => s.At).SingleAsync();
            Assert.All(dropped, d => Assert.True(d.ReceivedAt >= stampedAt, $"A batch read at {d.ReceivedAt:O} came before the decision stamped {stampedAt:O}."));
        }
        finally
        {
            foreach (var circuit in circuits)
            {
                await circuit.DisposeAsync();
            }
        }
    }

    [Fact]
    public void Read_WhenGivenABatchInTheServersLayout_ReturnsItsStringsEditsAndFrameCount()
    {
        var longName = new string('x', 200);
        var batch = WriteBatch(
            componentId: 7,
            edits: [(2, 3, 0), (5, 1, 0), (1, 4, 1)],
            frames: 2,
            strings: ["41 requests", "Open request 9 from Ana Núñez", longName]);

        var read = RenderBatchReader.Read(batch);

        Assert.Equal(["41 requests", "Open request 9 from Ana Núñez", longName], read.Strings);
        Assert.Equal(
            [
                new RenderBatchEdit(7, RenderEditKind.RemoveFrame, 3, 0),
                new RenderBatchEdit(7, RenderEditKind.UpdateText, 1, 0),
                new RenderBatchEdit(7, RenderEditKind.PrependFrame, 4, 1),
            ],
            read.Edits);
        Assert.Equal(2, read.ReferenceFrameCount);
        Assert.Equal(1, read.Count(RenderEditKind.RemoveFrame));
    }

    private static int TotalOf(string? total) =>
        int.Parse((total ?? throw new InvalidOperationException("The circuit never showed a total.")).Split(' ')[0], NumberStyles.AllowThousands, CultureInfo.InvariantCulture);

    /// <summary>
    /// A render batch laid out as the server writes one with .NET's BinaryWriter: one component's diff, its edits of four
    /// ints, text frames of 20 bytes, no disposals, the string table and the five trailing offsets.
    /// </summary>
    private static byte[] WriteBatch(int componentId, (int Kind, int Sibling, int Frame)[] edits, int frames, string[] strings)
    {
        using var stream = new MemoryStream();
        using (var writer = new BinaryWriter(stream, Encoding.UTF8, leaveOpen: true))
        {
            var diff = (int)stream.Position;
            writer.Write(componentId);
            writer.Write(edits.Length);
            foreach (var (kind, sibling, frame) in edits)
            {
                writer.Write(kind);
                writer.Write(sibling);
                writer.Write(frame);
                writer.Write(-1);
            }
            var updatedComponents = (int)stream.Position;
            writer.Write(1);
            writer.Write(diff);
            var referenceFrames = (int)stream.Position;
            writer.Write(frames);
            for (var i = 0; i < frames; i++)
            {
                writer.Write(2); // a text frame
                writer.Write(i % strings.Length);
                writer.Write(new byte[12]);
            }
            var disposedComponents = (int)stream.Position;
            writer.Write(0);
            var disposedHandlers = (int)stream.Position;
            writer.Write(0);
            var locations = new List<int>();
            foreach (var text in strings)
            {
                locations.Add((int)stream.Position);
                writer.Write(text);
            }
            var stringTable = (int)stream.Position;
            locations.ForEach(writer.Write);
            foreach (var offset in new[] { updatedComponents, referenceFrames, disposedComponents, disposedHandlers, stringTable })
            {
                writer.Write(offset);
            }
        }
        return stream.ToArray();
    }
}
