using EserSecurity.Core.Assurance;
using EserSecurity.Core.Changes;
using EserSecurity.Core.Security;
using EserSecurity.Tests.Support;
using Microsoft.EntityFrameworkCore;
using static EserSecurity.Tests.Core.Assurance.AssuranceTestSupport;

namespace EserSecurity.Tests.Core.Assurance;

public sealed class StatementServiceTests
{
    private static readonly SchoolYear ThisYear = new(2026);

    [Fact]
    public async Task CreateDraft_StoresTrimmedTextWithNewlineLineEnds_AndAudits()
    {
        var (database, state) = await ArrangeAsync();
        await using var _ = database;
        var admin = TestState.CallerFor(state.StateAdmin);

        var id = await database.Get<StatementService>().CreateDraftAsync(admin, ThisYear,
            new StatementContent("  Statement  ", "# Heading\r\nText.\r\n\r\n", "\r\n  First  \r\n\r\nSecond\r\n"));

        await using var db = await database.OpenAsync();
        var version = await db.StatementVersions.SingleAsync(v => v.Id == id);
        Assert.Equal(("Statement", "# Heading\nText.", "First\nSecond"), (version.Title, version.Body, version.Acknowledgements));
        Assert.Equal((2026, 1, StatementStatus.Draft), (version.SchoolYear, version.VersionNumber, version.Status));
        Assert.Null(version.PublishedAt);
        var audit = await db.AuditEvents.SingleAsync();
        Assert.Equal(("Statement.DraftCreated", id.ToString()), (audit.Action, audit.EntityId));
    }

    [Theory]
    [InlineData("", "Body.", "Ack.", "title")]
    [InlineData("Title", "  ", "Ack.", "body is empty")]
    [InlineData("Title", "Body.", " \n \n", "at least one acknowledgement")]
    public async Task CreateDraft_WithMissingParts_IsRefusedSayingWhat(string title, string body, string acknowledgements, string expected)
    {
        var (database, state) = await ArrangeAsync();
        await using var _ = database;

        var error = await Assert.ThrowsAsync<AssuranceRefusedException>(() => database.Get<StatementService>()
            .CreateDraftAsync(TestState.CallerFor(state.StateAdmin), ThisYear, new StatementContent(title, body, acknowledgements)));

        Assert.Contains(expected, error.Message);
    }

    [Fact]
    public async Task CreateDraft_OverTheLimits_IsRefusedNamingTheLimit()
    {
        var (database, state) = await ArrangeAsync();
        await using var _ = database;
        var statements = database.Get<StatementService>();
        var admin = TestState.CallerFor(state.StateAdmin);

        var longTitle = await Assert.ThrowsAsync<AssuranceRefusedException>(() =>
            statements.CreateDraftAsync(admin, ThisYear, Content(title: new string('t', StatementVersion.TitleMaxLength + 1))));
        var longBody = await Assert.ThrowsAsync<AssuranceRefusedException>(() =>
            statements.CreateDraftAsync(admin, ThisYear, Content(body: new string('b', StatementVersion.BodyMaxLength + 1))));
        var longAcknowledgement = await Assert.ThrowsAsync<AssuranceRefusedException>(() =>
            statements.CreateDraftAsync(admin, ThisYear, Content(acknowledgements: "Fine.\n" + new string('a', StatementVersion.AcknowledgementMaxLength + 1))));
        var tooMany = await Assert.ThrowsAsync<AssuranceRefusedException>(() => statements.CreateDraftAsync(admin, ThisYear,
            Content(acknowledgements: string.Join("\n", Enumerable.Range(1, StatementVersion.MaxAcknowledgements + 1).Select(i => $"Ack {i}.")))));

        Assert.Contains(StatementVersion.TitleMaxLength.ToString(), longTitle.Message);
        Assert.Contains("20,000", longBody.Message);
        Assert.Contains($"Acknowledgement 2 is {StatementVersion.AcknowledgementMaxLength + 1} characters", longAcknowledgement.Message);
        Assert.Contains(StatementVersion.MaxAcknowledgements.ToString(), tooMany.Message);
    }

    [Fact]
    public async Task CreateDraft_ForAPastYearOrTwoYearsAhead_IsRefused()
    {
        var (database, state) = await ArrangeAsync();
        await using var _ = database;
        var statements = database.Get<StatementService>();
        var admin = TestState.CallerFor(state.StateAdmin);

        await Assert.ThrowsAsync<AssuranceRefusedException>(() => statements.CreateDraftAsync(admin, new SchoolYear(2025), Content()));
        await Assert.ThrowsAsync<AssuranceRefusedException>(() => statements.CreateDraftAsync(admin, new SchoolYear(2028), Content()));
        Assert.True(await statements.CreateDraftAsync(admin, new SchoolYear(2027), Content()) > 0);
    }

    [Fact]
    public async Task CreateDraft_WhileTheYearHasADraft_IsRefusedNamingIt()
    {
        var (database, state) = await ArrangeAsync();
        await using var _ = database;
        var statements = database.Get<StatementService>();
        var admin = TestState.CallerFor(state.StateAdmin);
        await statements.CreateDraftAsync(admin, ThisYear, Content());

        var error = await Assert.ThrowsAsync<AssuranceRefusedException>(() => statements.CreateDraftAsync(admin, ThisYear, Content()));

        Assert.Contains("already has a draft (version 1)", error.Message);
    }

    [Fact]
    public async Task UpdateDraft_ChangesTheDraft()
    {
        var (database, state) = await ArrangeAsync();
        await using var _ = database;
        var statements = database.Get<StatementService>();
        var admin = TestState.CallerFor(state.StateAdmin);
        var id = await statements.CreateDraftAsync(admin, ThisYear, Content());

        await statements.UpdateDraftAsync(admin, id, (await statements.GetVersionAsync(admin, id)).Version, Content(title: "Corrected title"));

        var view = await statements.GetVersionAsync(admin, id);
        Assert.Equal("Corrected title", view.Title);
        await using var db = await database.OpenAsync();
        Assert.Equal(["Statement.DraftCreated", "Statement.DraftEdited"], await db.AuditEvents.OrderBy(e => e.Sequence).Select(e => e.Action).ToListAsync());
    }

    [Fact]
    public async Task UpdateDraft_OfAPublishedVersion_IsRefusedAndChangesNothing()
    {
        var (database, state) = await ArrangeAsync();
        await using var _ = database;
        var id = await PublishAsync(database, state);
        var statements = database.Get<StatementService>();
        var admin = TestState.CallerFor(state.StateAdmin);
        var published = (await statements.GetVersionAsync(admin, id)).Version;

        var error = await Assert.ThrowsAsync<AssuranceRefusedException>(() =>
            statements.UpdateDraftAsync(admin, id, published, Content(title: "Changed", body: "Changed.", acknowledgements: "Changed.")));

        Assert.Contains("can never change", error.Message);
        Assert.Contains("create a new version", error.Message);
        await using var db = await database.OpenAsync();
        var version = await db.StatementVersions.AsNoTracking().SingleAsync(v => v.Id == id);
        Assert.Equal((Title, Body.ReplaceLineEndings("\n").Trim(), string.Join("\n", Acknowledgements)), (version.Title, version.Body, version.Acknowledgements));
        Assert.DoesNotContain(await db.AuditEvents.Select(e => e.Action).ToListAsync(), a => a == "Statement.DraftEdited");
    }

    [Fact]
    public async Task Publish_SetsPublishedAtAndBy_MakesItCurrent_AndPublishesAChange()
    {
        var (database, state) = await ArrangeAsync();
        await using var _ = database;
        var statements = database.Get<StatementService>();
        var admin = TestState.CallerFor(state.StateAdmin);
        var id = await statements.CreateDraftAsync(admin, ThisYear, Content());
        using var recorder = new ChangeRecorder(database.Get<IAccessChangeFeed>());

        var publication = await statements.PublishAsync(admin, id);

        Assert.Null(publication.SupersededVersionNumber);
        await using var db = await database.OpenAsync();
        var version = await db.StatementVersions.AsNoTracking().SingleAsync(v => v.Id == id);
        Assert.Equal((StatementStatus.Published, TestDatabase.DefaultNow, state.StateAdmin.Id), (version.Status, version.PublishedAt, version.PublishedById));
        Assert.Equal(id, (await statements.GetCurrentAsync(new DateOnly(2027, 6, 30)))!.Id);
        Assert.Null(await statements.GetCurrentAsync(new DateOnly(2027, 7, 1)));
        Assert.Equal("Statement.Published", (await db.AuditEvents.OrderBy(e => e.Sequence).LastAsync()).Action);
        await recorder.WaitForAsync(c => c.Kind == AccessChangeKind.StatementPublished);
    }

    [Fact]
    public async Task Publish_Twice_IsRefusedNamingWhoPublished()
    {
        var (database, state) = await ArrangeAsync();
        await using var _ = database;
        var id = await PublishAsync(database, state);

        var error = await Assert.ThrowsAsync<AssuranceRefusedException>(() =>
            database.Get<StatementService>().PublishAsync(TestState.CallerFor(state.StateAdmin), id));

        Assert.Contains($"already published (by {state.StateAdmin.FullName}", error.Message);
    }

    [Fact]
    public async Task Correction_BecomesCurrent_OldSignaturesStaySignedButVerifyAsSuperseded()
    {
        var (database, state) = await ArrangeAsync();
        await using var _ = database;
        var statements = database.Get<StatementService>();
        var admin = TestState.CallerFor(state.StateAdmin);
        var first = await PublishAsync(database, state);
        var signature = await SignAsync(database, state.UserA1, first);
        database.Clock.Advance(TimeSpan.FromHours(2));

        var correction = await statements.CreateDraftAsync(admin, ThisYear, Content(body: Body + "\nCorrected."));
        var publication = await statements.PublishAsync(admin, correction);

        Assert.Equal((2, 1), (publication.VersionNumber, publication.SupersededVersionNumber));
        Assert.Contains("Signatures of version 1 stay valid for 2026–27", publication.Message);
        var versions = await statements.ListVersionsAsync(admin);
        Assert.Equal(new[] { (2, true, 0), (1, false, 1) }, versions.Select(v => (v.VersionNumber, v.IsCurrent, v.SignatureCount)));
        Assert.Equal(correction, (await statements.GetCurrentAsync(new DateOnly(2026, 11, 28)))!.Id);
        var people = await database.Get<AssuranceStatusService>().GetPeopleAsync(admin, new AssurancePeopleQuery(Search: state.UserA1.StaffId));
        Assert.Equal(AssuranceStatus.Signed, Assert.Single(people.Items).Status);
        Assert.Equal(VerificationState.Superseded, (await database.Get<AssuranceService>().VerifyAsync(signature.VerificationCode)).State);
        var view = await database.Get<AssuranceService>().GetSigningViewAsync(TestState.CallerFor(state.UserA1));
        Assert.False(view.CanSign);
        Assert.False(view.ExistingSignature!.IsCurrentVersion);
    }

    [Fact]
    public async Task SigningAnOldVersionAfterACorrection_IsRefused()
    {
        var (database, state) = await ArrangeAsync();
        await using var _ = database;
        var first = await PublishAsync(database, state);
        await PublishAsync(database, state, Content(title: "Corrected"));

        var error = await Assert.ThrowsAsync<AssuranceRefusedException>(() => SignAsync(database, state.UserA1, first));

        Assert.Contains("version 2 is now the 2026–27 statement", error.Message);
    }

    [Theory]
    [InlineData("district")]
    [InlineData("local")]
    [InlineData("supervisor")]
    [InlineData("userA1")]
    public async Task AdministrationOperations_AreRefusedToAnyoneButStateAdministrators(string who)
    {
        var (database, state) = await ArrangeAsync();
        await using var _ = database;
        var statements = database.Get<StatementService>();
        var draft = await statements.CreateDraftAsync(TestState.CallerFor(state.StateAdmin), ThisYear, Content());
        var caller = TestState.CallerFor(Person(state, who));

        await Assert.ThrowsAsync<ScopeDeniedException>(() => statements.ListVersionsAsync(caller));
        await Assert.ThrowsAsync<ScopeDeniedException>(() => statements.GetVersionAsync(caller, draft));
        await Assert.ThrowsAsync<ScopeDeniedException>(() => statements.StartVersionAsync(caller, new SchoolYear(2027)));
        await Assert.ThrowsAsync<ScopeDeniedException>(() => statements.CreateDraftAsync(caller, new SchoolYear(2027), Content()));
        await Assert.ThrowsAsync<ScopeDeniedException>(() => statements.UpdateDraftAsync(caller, draft, 0, Content(title: "Mine")));
        await Assert.ThrowsAsync<ScopeDeniedException>(() => statements.PublishAsync(caller, draft));
        await using var db = await database.OpenAsync();
        var version = await db.StatementVersions.SingleAsync();
        Assert.Equal((StatementStatus.Draft, Title), (version.Status, version.Title));
    }

    [Fact]
    public async Task GetVersion_LaysOutHeadingsParagraphsAndLists()
    {
        var (database, state) = await ArrangeAsync();
        await using var _ = database;
        var id = await PublishAsync(database, state);

        var view = await database.Get<StatementService>().GetVersionAsync(TestState.CallerFor(state.StateAdmin), id);

        Assert.Equal(
            new[]
            {
                (StatementBlockKind.Heading, "Why I sign"),
                (StatementBlockKind.Paragraph, "eSER holds students' IEPs. They are protected by law."),
                (StatementBlockKind.List, ""),
            },
            view.Blocks.Select(b => (b.Kind, b.Text)));
        Assert.Equal(["I access records only for my duties.", "I keep copies secure."], view.Blocks[2].Items);
        Assert.Equal(Acknowledgements, view.Acknowledgements);
        Assert.True(view.IsCurrent);
    }

    [Fact]
    public async Task WritableYears_AreThisSchoolYearAndTheNext()
    {
        var (database, _) = await ArrangeAsync(new DateTimeOffset(2027, 6, 30, 12, 0, 0, TimeSpan.Zero));
        await using var _ = database;
        var statements = database.Get<StatementService>();

        var beforeJuly = statements.WritableYears();
        database.Clock.SetUtcNow(new DateTimeOffset(2027, 7, 1, 12, 0, 0, TimeSpan.Zero));

        Assert.Equal([new SchoolYear(2026), new SchoolYear(2027)], beforeJuly);
        Assert.Equal([new SchoolYear(2027), new SchoolYear(2028)], statements.WritableYears());
        Assert.False(statements.IsWritable(new SchoolYear(2026)));
        Assert.True(statements.IsWritable(new SchoolYear(2028)));
    }

    [Fact]
    public async Task StartVersion_WithNothingWritten_IsVersionOneFromAnEmptyText()
    {
        var (database, state) = await ArrangeAsync();
        await using var _ = database;

        var start = await database.Get<StatementService>().StartVersionAsync(TestState.CallerFor(state.StateAdmin), ThisYear);

        Assert.Equal(new StatementStart(ThisYear, 1, null, null), start);
    }

    [Fact]
    public async Task StartVersion_AfterPublishedVersions_NumbersTheNextFromTheNewestText_AndTheDraftGetsThatNumber()
    {
        var (database, state) = await ArrangeAsync();
        await using var _ = database;
        var statements = database.Get<StatementService>();
        var admin = TestState.CallerFor(state.StateAdmin);
        await PublishAsync(database, state, Content(title: "First"));
        var second = await PublishAsync(database, state, Content(title: "Second"));

        var start = await statements.StartVersionAsync(admin, ThisYear);
        var draft = await statements.CreateDraftAsync(admin, ThisYear, Content(title: "Third"));

        Assert.Equal((3, (int?)null, second, "Second", true), (start.VersionNumber, start.DraftId, start.Template!.Id, start.Template.Title, start.Template.IsCurrent));
        Assert.Equal(start.VersionNumber, (await statements.GetVersionAsync(admin, draft)).VersionNumber);
    }

    [Fact]
    public async Task StartVersion_OfANewYear_IsItsVersionOne_FromLastYearsText()
    {
        var (database, state) = await ArrangeAsync();
        await using var _ = database;
        var published = await PublishAsync(database, state);

        var start = await database.Get<StatementService>().StartVersionAsync(TestState.CallerFor(state.StateAdmin), new SchoolYear(2027));

        Assert.Equal((1, (int?)null, published, ThisYear), (start.VersionNumber, start.DraftId, start.Template!.Id, start.Template.Year));
    }

    [Fact]
    public async Task StartVersion_WhileTheYearHasADraft_NamesThatDraft()
    {
        var (database, state) = await ArrangeAsync();
        await using var _ = database;
        var statements = database.Get<StatementService>();
        var admin = TestState.CallerFor(state.StateAdmin);
        await PublishAsync(database, state);
        var draft = await statements.CreateDraftAsync(admin, ThisYear, Content(title: "Correction"));

        var start = await statements.StartVersionAsync(admin, ThisYear);

        Assert.Equal(new StatementStart(ThisYear, 2, draft, null), start);
    }
}
