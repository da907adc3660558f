using EserSecurity.Core.Changes;
using EserSecurity.Core.Identity;
using EserSecurity.Core.Security;
using EserSecurity.Tests.Support;

namespace EserSecurity.Tests.Core.Changes;

/// <summary>
/// <see cref="AccessChangeKind.FeedResumed"/> says that other instances' changes may have been missed: it concerns every
/// reader, and kept scopes are forgotten for it (the PostgreSQL feed does so before delivering it).
/// </summary>
public sealed class FeedResumedTests
{
    private static AccessChange Resumed() => new(AccessChangeKind.FeedResumed, null, null, null, null, TestDatabase.DefaultNow);

    [Fact]
    public void ConcernsEveryone_OnlyTheResumedFeed()
    {
        Assert.True(Resumed().ConcernsEveryone);
        Assert.All(Enum.GetValues<AccessChangeKind>().Where(k => k != AccessChangeKind.FeedResumed),
            kind => Assert.False(new AccessChange(kind, null, null, null, null, TestDatabase.DefaultNow).ConcernsEveryone));
    }

    [Fact]
    public void ResumedFeed_ChangesScopes_AndConcernsEverySignedInPerson()
    {
        Assert.True(ScopeService.ChangesScopes(Resumed()));
        Assert.True(SignOnLinks.ConcernsSignedInPerson(Resumed(), 12));
        Assert.True(SignOnLinks.ConcernsSignedInPerson(Resumed(), null));
        Assert.False(ScopeService.ChangesScopes(new AccessChange(AccessChangeKind.RequestDecided, 1, null, 2, 3, TestDatabase.DefaultNow)));
    }
}
