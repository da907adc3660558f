using System.Security.Cryptography;
using System.Text;
using EserSecurity.Core.Assurance;
using EserSecurity.Core.Audit;
using EserSecurity.Core.Changes;
using EserSecurity.Core.Staff;
using EserSecurity.Tests.Support;
using Microsoft.EntityFrameworkCore;
using static EserSecurity.Tests.Core.Assurance.AssuranceTestSupport;

namespace EserSecurity.Tests.Core.Assurance;

public sealed class SigningTests
{
    [Fact]
    public async Task Sign_StoresPersonVersionTimeNameAcknowledgementsHashAddressAndAgent()
    {
        var (database, state) = await ArrangeAsync();
        await using var _ = database;
        var version = await PublishAsync(database, state);

        var signed = await SignAsync(database, state.UserA1, version, typedName: "  USER   Alpha1 ");

        await using var db = await database.OpenAsync();
        var stored = await db.AssuranceSignatures.AsNoTracking().SingleAsync();
        Assert.Equal((state.UserA1.Id, version, 2026, TestDatabase.DefaultNow), (stored.StaffMemberId, stored.StatementVersionId, stored.SchoolYear, stored.SignedAt));
        Assert.Equal("USER Alpha1", stored.TypedName);
        Assert.Equal(string.Join("\n", Acknowledgements), stored.Acknowledgements);
        Assert.Equal(("10.1.2.3", "Mozilla/5.0 (test)"), (stored.ClientAddress, stored.UserAgent));
        Assert.Equal((signed.Id, signed.VerificationCode), (stored.Id, stored.VerificationCode));
        Assert.Equal("Assurance.Signed", (await db.AuditEvents.OrderBy(e => e.Sequence).LastAsync()).Action);
        Assert.True((await database.Get<AuditLog>().VerifyAsync(TestState.CallerFor(state.StateAdmin))).IsIntact);
    }

    [Fact]
    public async Task Sign_HashIsSha256OfTitleBodyAndAcknowledgements_AsSigned()
    {
        var (database, state) = await ArrangeAsync();
        await using var _ = database;
        var version = await PublishAsync(database, state);

        await SignAsync(database, state.UserA1, version);

        await using var db = await database.OpenAsync();
        var stored = await db.AssuranceSignatures.AsNoTracking().SingleAsync();
        var statement = await db.StatementVersions.AsNoTracking().SingleAsync();
        // Written out by hand, so the test does not trust the code it checks.
        var signedText = $"{Title}\n\n{Body.ReplaceLineEndings("\n").Trim()}\n\n{string.Join("\n", Acknowledgements)}";
        var expected = Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(signedText)));
        Assert.Equal(expected, stored.TextHash);
        Assert.Equal(signedText, SignedText.Canonical(statement));
        Assert.Equal(expected, SignedText.Hash(statement));
    }

    [Theory]
    [InlineData("user alpha1")]
    [InlineData("USER ALPHA1")]
    [InlineData("  user    alpha1  ")]
    [InlineData("user\talpha1")]
    public async Task Sign_TypedNameMatchingIgnoringCaseAndExtraSpaces_IsAccepted(string typed)
    {
        var (database, state) = await ArrangeAsync();
        await using var _ = database;
        var version = await PublishAsync(database, state);

        var signed = await SignAsync(database, state.UserA1, version, typed);

        Assert.Equal(2026, signed.Year.StartYear);
    }

    [Theory]
    [InlineData("")]
    [InlineData("user alpha")]
    [InlineData("alpha1 user")]
    [InlineData("user.alpha1")]
    public async Task Sign_TypedNameNotMatching_IsRefusedSayingTheExpectedName(string typed)
    {
        var (database, state) = await ArrangeAsync();
        await using var _ = database;
        var version = await PublishAsync(database, state);

        var error = await Assert.ThrowsAsync<AssuranceRefusedException>(() => SignAsync(database, state.UserA1, version, typed));

        Assert.Equal("Type your full name as it appears in your staff record: user alpha1", error.Message);
        await using var db = await database.OpenAsync();
        Assert.False(await db.AssuranceSignatures.AnyAsync());
    }

    [Fact]
    public void TypedNameMatches_ComposesAccents()
    {
        Assert.True(AssuranceRules.TypedNameMatches("jose\u0301 núñez", "José Núñez"));
        Assert.False(AssuranceRules.TypedNameMatches("Jose Nunez", "José Núñez"));
    }

    [Fact]
    public async Task Sign_WithAnAcknowledgementNotTicked_IsRefusedNamingIt()
    {
        var (database, state) = await ArrangeAsync();
        await using var _ = database;
        var version = await PublishAsync(database, state);

        var error = await Assert.ThrowsAsync<AssuranceRefusedException>(() => database.Get<AssuranceService>().SignAsync(
            TestState.CallerFor(state.UserA1), new SignatureRequest(version, [0, 2], state.UserA1.FullName, null, null)));

        Assert.Contains($"Not ticked: “{Acknowledgements[1]}”", error.Message);
        await using var db = await database.OpenAsync();
        Assert.False(await db.AssuranceSignatures.AnyAsync());
    }

    [Fact]
    public async Task Sign_WithAnUnknownAcknowledgement_IsRefused()
    {
        var (database, state) = await ArrangeAsync();
        await using var _ = database;
        var version = await PublishAsync(database, state);

        await Assert.ThrowsAsync<AssuranceRefusedException>(() => database.Get<AssuranceService>().SignAsync(
            TestState.CallerFor(state.UserA1), new SignatureRequest(version, [0, 1, 2, 3], state.UserA1.FullName, null, null)));
    }

    [Fact]
    public async Task Sign_WithoutAPublishedStatement_IsRefused()
    {
        var (database, state) = await ArrangeAsync();
        await using var _ = database;
        var draft = await database.Get<StatementService>().CreateDraftAsync(TestState.CallerFor(state.StateAdmin), new SchoolYear(2026), Content());

        var error = await Assert.ThrowsAsync<AssuranceRefusedException>(() => SignAsync(database, state.UserA1, draft));

        Assert.Contains("No confidentiality assurance statement is published for 2026–27", error.Message);
    }

    [Fact]
    public async Task Sign_SecondTimeInTheSameYear_IsRefusedShowingTheExistingSignature()
    {
        var (database, state) = await ArrangeAsync();
        await using var _ = database;
        var version = await PublishAsync(database, state);
        var first = await SignAsync(database, state.UserA1, version);
        database.Clock.Advance(TimeSpan.FromDays(3));

        var error = await Assert.ThrowsAsync<AssuranceRefusedException>(() => SignAsync(database, state.UserA1, version));

        Assert.Equal("You already signed the 2026–27 statement on Nov 28, 2026 3:00 PM UTC (version 1). It stays valid for the whole school year.", error.Message);
        Assert.Equal((first.Id, first.VerificationCode), (error.ExistingSignature!.Id, error.ExistingSignature.VerificationCode));
        await using var db = await database.OpenAsync();
        Assert.Equal(1, await db.AssuranceSignatures.CountAsync());
    }

    [Fact]
    public async Task TenSimultaneousSignatures_StoreExactlyOne()
    {
        var (database, state) = await ArrangeAsync();
        await using var _ = database;
        var version = await PublishAsync(database, state);

        using var start = new ManualResetEventSlim(false);
        var attempts = Enumerable.Range(0, 10).Select(_ => Task.Run(async () =>
        {
            start.Wait();
            try
            {
                return (await SignAsync(database, state.UserA1, version)).Id;
            }
            catch (AssuranceRefusedException error)
            {
                Assert.NotNull(error.ExistingSignature);
                return (int?)null;
            }
        })).ToList();
        start.Set();
        var outcomes = await Task.WhenAll(attempts);

        var winner = Assert.Single(outcomes, o => o is not null);
        await using var db = await database.OpenAsync();
        Assert.Equal(winner, (await db.AssuranceSignatures.SingleAsync()).Id);
        Assert.Equal(1, await db.AuditEvents.CountAsync(e => e.Action == "Assurance.Signed"));
    }

    [Fact]
    public async Task Sign_PublishesAChangePerSchoolOfTheSigner()
    {
        var (database, state) = await ArrangeAsync();
        await using var _ = database;
        var version = await PublishAsync(database, state);
        using var recorder = new ChangeRecorder(database.Get<IAccessChangeFeed>());

        await SignAsync(database, state.UserA1, version);
        await SignAsync(database, state.DistrictA, version);

        var signed = (await recorder.WaitForAsync(c => c.Kind == AccessChangeKind.AssuranceSigned, 2)).OrderBy(c => c.SchoolId is null).ToList();
        Assert.Equal(2, signed.Count);
        Assert.Equal((state.LeaA.Id, (int?)state.A1.Id, (int?)state.UserA1.Id), (signed[0].SchoolSystemId!.Value, signed[0].SchoolId, signed[0].SubjectStaffMemberId));
        Assert.Equal((state.LeaA.Id, (int?)null, (int?)state.DistrictA.Id), (signed[1].SchoolSystemId!.Value, signed[1].SchoolId, signed[1].SubjectStaffMemberId));
    }

    [Fact]
    public async Task SigningView_ShowsTheStatementUntilSigned_ThenTheSignature()
    {
        var (database, state) = await ArrangeAsync(new DateTimeOffset(2026, 7, 10, 12, 0, 0, TimeSpan.Zero));
        await using var _ = database;
        var service = database.Get<AssuranceService>();
        var caller = TestState.CallerFor(state.UserA1);
        var nothingYet = await service.GetSigningViewAsync(caller);
        var version = await PublishAsync(database, state);

        var before = await service.GetSigningViewAsync(caller);
        await SignAsync(database, state.UserA1, version);
        var after = await service.GetSigningViewAsync(caller);

        Assert.Null(nothingYet.Statement);
        Assert.False(nothingYet.CanSign);
        Assert.Equal((AssuranceStatus.Due, new DateOnly(2026, 7, 31), "user alpha1", true), (before.Status, before.OverdueFrom, before.ExpectedName, before.CanSign));
        Assert.Equal(version, before.Statement!.Id);
        Assert.Equal(Acknowledgements, before.Statement.Acknowledgements);
        Assert.Equal((AssuranceStatus.Signed, false), (after.Status, after.CanSign));
        Assert.Equal(version, after.ExistingSignature!.StatementVersionId);
        Assert.Equal([after.ExistingSignature], await service.ListOwnSignaturesAsync(caller));
    }

    [Fact]
    public async Task OwnStatus_ShowsTheBannerOnlyWhileAPublishedStatementIsUnsigned()
    {
        var (database, state) = await ArrangeAsync(new DateTimeOffset(2026, 7, 30, 12, 0, 0, TimeSpan.Zero));
        await using var _ = database;
        var service = database.Get<AssuranceService>();
        var caller = TestState.CallerFor(state.UserA1);

        var unpublished = await service.GetOwnStatusAsync(caller);
        var version = await PublishAsync(database, state);
        var due = await service.GetOwnStatusAsync(caller);
        database.Clock.SetUtcNow(new DateTimeOffset(2026, 7, 31, 0, 0, 0, TimeSpan.Zero));
        var overdue = await service.GetOwnStatusAsync(caller);
        await SignAsync(database, state.UserA1, version);
        var signed = await service.GetOwnStatusAsync(caller);

        Assert.Equal((AssuranceStatus.Due, false), (unpublished.Status, unpublished.ShowsBanner));
        Assert.Equal((AssuranceStatus.Due, true, new DateOnly(2026, 7, 31)), (due.Status, due.ShowsBanner, due.OverdueFrom));
        Assert.Equal((AssuranceStatus.Overdue, true), (overdue.Status, overdue.ShowsBanner));
        Assert.Equal((AssuranceStatus.Signed, false), (signed.Status, signed.ShowsBanner));
    }

    [Fact]
    public async Task Sign_ByAPersonWhoseEmploymentEnded_IsRefused()
    {
        var (database, state) = await ArrangeAsync();
        await using var _ = database;
        var version = await PublishAsync(database, state);
        await using (var db = await database.OpenAsync())
        {
            (await db.StaffMembers.SingleAsync(s => s.Id == state.UserA3.Id)).EmploymentStatus = EmploymentStatus.Ended;
            await db.SaveChangesAsync();
        }

        await Assert.ThrowsAsync<AssuranceRefusedException>(() => SignAsync(database, state.UserA3, version));
    }

    [Fact]
    public async Task OwnStatus_IsConcernedByOwnSignatureAndEveryPublication_NotByOthersSignatures()
    {
        var (database, state) = await ArrangeAsync();
        await using var _ = database;
        using var recorder = new ChangeRecorder(database.Get<IAccessChangeFeed>());
        var version = await PublishAsync(database, state);

        await SignAsync(database, state.UserA1, version);
        await SignAsync(database, state.UserA3, version);

        var published = await recorder.WaitForAsync(c => c.Kind == AccessChangeKind.StatementPublished);
        var ownSignature = await recorder.WaitForAsync(c => c.Kind == AccessChangeKind.AssuranceSigned && c.SubjectStaffMemberId == state.UserA1.Id);
        var colleaguesSignature = await recorder.WaitForAsync(c => c.Kind == AccessChangeKind.AssuranceSigned && c.SubjectStaffMemberId == state.UserA3.Id);
        Assert.True(AssuranceService.ConcernsOwnStatus(published, state.UserA1.Id));
        Assert.True(AssuranceService.ConcernsOwnStatus(published, state.UserB1.Id));
        Assert.True(AssuranceService.ConcernsOwnStatus(ownSignature, state.UserA1.Id));
        Assert.False(AssuranceService.ConcernsOwnStatus(colleaguesSignature, state.UserA1.Id));
        Assert.False(AssuranceService.ConcernsOwnStatus(ownSignature, null));
    }
}
