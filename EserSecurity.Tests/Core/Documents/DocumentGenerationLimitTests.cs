using EserSecurity.Core.Documents;
using Microsoft.Extensions.Options;
using Microsoft.Extensions.Time.Testing;

namespace EserSecurity.Tests.Core.Documents;

public sealed class DocumentGenerationLimitTests
{
    private readonly FakeTimeProvider _clock = new(new DateTimeOffset(2026, 11, 28, 15, 0, 0, TimeSpan.Zero));

    private DocumentGenerationLimit Limit(int perMinute) =>
        new(Options.Create(new DocumentOptions { PerPersonPerMinute = perMinute }), _clock);

    [Fact]
    public void PastTheLimit_APersonWaits_UntilTheirOldestGenerationIsAMinuteOld()
    {
        var limit = Limit(2);
        Assert.True(limit.TryStart(1, out _));
        _clock.Advance(TimeSpan.FromSeconds(20));
        Assert.True(limit.TryStart(1, out _));

        Assert.False(limit.TryStart(1, out var retryAfter));
        Assert.Equal(TimeSpan.FromSeconds(40), retryAfter);

        _clock.Advance(TimeSpan.FromSeconds(39));
        Assert.False(limit.TryStart(1, out _));
        _clock.Advance(TimeSpan.FromSeconds(1));
        Assert.True(limit.TryStart(1, out _));
        Assert.False(limit.TryStart(1, out _));
    }

    [Fact]
    public void OnePersonAtTheLimit_DoesNotStopAnother()
    {
        var limit = Limit(1);
        Assert.True(limit.TryStart(1, out _));
        Assert.False(limit.TryStart(1, out _));

        Assert.True(limit.TryStart(2, out _));
    }

    [Fact]
    public void RefusalMessage_SaysHowLongToWait()
    {
        Assert.Equal("You have asked for more documents in the last minute than the console makes for one person. Wait 40 seconds and try again.",
            DocumentGenerationLimit.RefusalMessage(TimeSpan.FromSeconds(39.2)));
    }
}
