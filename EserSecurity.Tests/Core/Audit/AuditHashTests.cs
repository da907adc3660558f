using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using EserSecurity.Core.Audit;
using EserSecurity.Tests.Support;
using Microsoft.Extensions.Options;

namespace EserSecurity.Tests.Core.Audit;

/// <summary>
/// The hash that links the chain, held to its definition: the UTF-8 of the event's fields joined by U+001F (numbers in
/// invariant digits, absent values empty), keyed with HMAC-SHA-256, or a plain SHA-256 for an event from before the
/// chain was keyed. Every chain written so far was hashed so; a hash that differs would break all of them.
/// </summary>
public sealed class AuditHashTests
{
    private static readonly AuditChainKey Key = new(Options.Create(new AuditOptions { ChainKey = TestDatabase.TestChainKey }));

    private static readonly Dictionary<string, Func<AuditEvent>> Samples = new()
    {
        ["keyed"] = () => Event(keyed: true),
        ["from before the chain was keyed"] = () => Event(keyed: false),
        ["no actor, school system or states"] = () => Event(keyed: true, actorId: null, schoolSystemId: null, before: null, after: null),
        // Text beyond ASCII, a character outside the basic plane and a long state, as a directory change can carry.
        ["accents, an emoji and a long state"] = () => Event(keyed: true, actorName: "Renée Thibodeaux 🔒", before: "{\"Note\":\"" + new string('é', 5_000) + "\"}"),
    };

    public static TheoryData<string> Events() => new(Samples.Keys);

    [Theory]
    [MemberData(nameof(Events))]
    public void ComputeHash_IsTheHashOfTheFieldsJoinedByTheUnitSeparator(string sample)
    {
        var e = Samples[sample]();

        Assert.Equal(Definition(e), AuditLog.ComputeHash(e, Key));
    }

    [Theory]
    [MemberData(nameof(Events))]
    public void HashHolds_ForTheStoredHash_AndNotForOneThatDiffersInOneCharacter(string sample)
    {
        var e = Samples[sample]();
        e.Hash = Definition(e);
        var holds = AuditLog.HashHolds(e, Key);
        e.Hash = e.Hash[..^1] + (e.Hash[^1] == '0' ? '1' : '0');

        Assert.True(holds);
        Assert.False(AuditLog.HashHolds(e, Key));
    }

    /// <summary>The definition, written out the plain way: the joined text, its UTF-8 bytes, the hash as lower-case hex.</summary>
    private static string Definition(AuditEvent e)
    {
        var content = string.Join('\u001f',
            e.PreviousHash,
            e.Sequence.ToString(CultureInfo.InvariantCulture),
            e.At.UtcTicks.ToString(CultureInfo.InvariantCulture),
            e.ActorId?.ToString(CultureInfo.InvariantCulture) ?? "",
            e.ActorName,
            e.Action,
            e.EntityType,
            e.EntityId,
            e.SchoolSystemId?.ToString(CultureInfo.InvariantCulture) ?? "",
            e.Before ?? "",
            e.After ?? "");
        var bytes = Encoding.UTF8.GetBytes(content);
        return Convert.ToHexStringLower(e.Keyed ? HMACSHA256.HashData(Convert.FromBase64String(TestDatabase.TestChainKey), bytes) : SHA256.HashData(bytes));
    }

    private static AuditEvent Event(
        bool keyed, int? actorId = 4_021, int? schoolSystemId = 17, string actorName = "Alpha Coordinator",
        string? before = "{\"Status\":\"Active\"}", string? after = "{\"Status\":\"Ended\",\"Reason\":\"Duties changed.\"}") => new()
    {
        Sequence = 1_234_567,
        At = new DateTimeOffset(2026, 11, 28, 15, 0, 0, TimeSpan.Zero).AddTicks(1_234_000),
        ActorId = actorId,
        ActorName = actorName,
        Action = "AccessGrant.Ended",
        EntityType = "AccessGrant",
        EntityId = "98765",
        SchoolSystemId = schoolSystemId,
        Before = before,
        After = after,
        PreviousHash = "3f1c0a9e5b7d2c4e6f8091a2b3c4d5e6f708192a3b4c5d6e7f8091a2b3c4d5e6",
        Hash = "",
        Keyed = keyed,
    };
}
