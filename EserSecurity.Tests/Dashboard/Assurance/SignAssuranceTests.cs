using AngleSharp.Dom;
using Bunit;
using EserSecurity.Dashboard.Components.Pages.Assurance;
using EserSecurity.Dashboard.Hosting;
using EserSecurity.Tests.Core.Assurance;
using EserSecurity.Tests.Support;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace EserSecurity.Tests.Dashboard.Assurance;

public sealed class SignAssuranceTests
{
    /// <summary>The checkbox whose label (its accessible name) is the acknowledgement's text.</summary>
    private static IElement Acknowledgement(IRenderedComponent<SignAssurance> page, string text) =>
        page.FindAll("label").Single(l => l.TextContent.Trim() == text).QuerySelector("input[type=checkbox]")
        ?? throw new ElementNotFoundException($"checkbox labelled '{text}'");

    private static IRenderedComponent<SignAssurance> Open(BunitContext ctx)
    {
        var page = ctx.Render<SignAssurance>();
        page.WaitForAssertion(() => Assert.Equal(AssuranceTestSupport.Title, page.Find("[data-testid=statement]").AccessibleName()));
        return page;
    }

    private static async Task SignAsync(IRenderedComponent<SignAssurance> page, IEnumerable<string> tick, string name)
    {
        foreach (var text in tick)
        {
            await page.InvokeAsync(() => Acknowledgement(page, text).Change(true));
        }
        await page.InvokeAsync(() => page.FindByLabel("Your full name").Input(name));
        await page.InvokeAsync(() => page.FindButton("Sign statement").Click());
    }

    private static async Task<int> SignatureCountAsync(TestDatabase database)
    {
        await using var db = await database.OpenAsync();
        return await db.AssuranceSignatures.CountAsync();
    }

    [Fact]
    public async Task Statement_IsShownWithOneCheckboxPerAcknowledgement_AndTheExpectedName()
    {
        var (database, state) = await AssuranceTestSupport.ArrangeAsync();
        await using var _ = database;
        await AssuranceTestSupport.PublishAsync(database, state);
        await using var ctx = DashboardContext.Create(database, state.UserA1.Username);

        var page = Open(ctx);

        Assert.Equal("Why I sign", page.Find("[data-testid=statement] h3").TextContent.Trim());
        Assert.Equal(2, page.FindAll("[data-testid=statement] li").Count);
        foreach (var text in AssuranceTestSupport.Acknowledgements)
        {
            Assert.False(Acknowledgement(page, text).HasAttribute("checked"));
        }
        Assert.Contains($"as it appears in your staff record: {state.UserA1.FullName}", page.Markup);
        Assert.Contains("overdue", page.Find("[data-testid=signing-status]").TextContent);
    }

    [Fact]
    public async Task Sign_WithAnAcknowledgementUnticked_IsRefused_AndKeepsWhatWasTyped()
    {
        var (database, state) = await AssuranceTestSupport.ArrangeAsync();
        await using var _ = database;
        await AssuranceTestSupport.PublishAsync(database, state);
        await using var ctx = DashboardContext.Create(database, state.UserA1.Username);
        var page = Open(ctx);

        await SignAsync(page, AssuranceTestSupport.Acknowledgements.Take(2), state.UserA1.FullName);

        page.WaitForAssertion(() => Assert.Contains("Tick every acknowledgement", page.Find("[data-testid=signing-error]").TextContent));
        Assert.Contains(AssuranceTestSupport.Acknowledgements[2], page.Find("[data-testid=signing-error]").TextContent);
        Assert.Equal(state.UserA1.FullName, page.FindByLabel("Your full name").GetAttribute("value"));
        Assert.True(Acknowledgement(page, AssuranceTestSupport.Acknowledgements[0]).HasAttribute("checked"));
        Assert.Equal(0, await SignatureCountAsync(database));
    }

    [Fact]
    public async Task Sign_WithANameThatIsNotTheStaffRecords_SaysWhichNameToType()
    {
        var (database, state) = await AssuranceTestSupport.ArrangeAsync();
        await using var _ = database;
        await AssuranceTestSupport.PublishAsync(database, state);
        await using var ctx = DashboardContext.Create(database, state.UserA1.Username);
        var page = Open(ctx);

        await SignAsync(page, AssuranceTestSupport.Acknowledgements, "Somebody Else");

        page.WaitForAssertion(() => Assert.Equal($"Type your full name as it appears in your staff record: {state.UserA1.FullName}",
            page.Find("[data-testid=signing-error]").TextContent.Trim()));
        Assert.Empty(page.FindAll("[data-testid=signature]"));
        Assert.Equal(0, await SignatureCountAsync(database));
    }

    [Fact]
    public async Task Sign_WithEverythingRight_ShowsTheCodeAndTheDownload_AndRecordsWhereItCameFrom()
    {
        var (database, state) = await AssuranceTestSupport.ArrangeAsync();
        await using var _ = database;
        await AssuranceTestSupport.PublishAsync(database, state);
        await using var ctx = DashboardContext.Create(database, state.UserA1.Username);
        var page = Open(ctx);
        ctx.Services.GetRequiredService<ClientOrigin>().Capture(new ClientConnection("203.0.113.7", "Mozilla/5.0 (bUnit)"));

        // Case and extra spaces do not count.
        await SignAsync(page, AssuranceTestSupport.Acknowledgements, "  " + state.UserA1.FullName.ToUpperInvariant().Replace(" ", "   ") + " ");

        page.WaitForAssertion(() => Assert.Equal("Your 2026–27 signature", page.Find("[data-testid=signature]").AccessibleName()));
        await using var db = await database.OpenAsync();
        var stored = await db.AssuranceSignatures.SingleAsync();
        Assert.Equal(stored.VerificationCode, page.Find("[data-testid=verification-code]").TextContent.Trim());
        Assert.Contains(stored.VerificationCode, page.Find("[data-testid=signing-notice]").TextContent);
        Assert.Equal(DocumentEndpoints.SignedStatementUrl(stored.Id), page.Find("[data-testid=signed-pdf]").GetAttribute("href"));
        Assert.Contains("Download signed statement (PDF)", page.Find("[data-testid=signed-pdf]").TextContent);
        Assert.Equal(("203.0.113.7", "Mozilla/5.0 (bUnit)"), (stored.ClientAddress, stored.UserAgent));
        Assert.Empty(page.FindAll("input[type=checkbox]"));
        Assert.Single(page.FindAll("[data-testid=own-signature]"));
    }

    [Fact]
    public async Task AlreadySignedThisYear_ShowsTheExistingSignatureInsteadOfTheForm()
    {
        var (database, state) = await AssuranceTestSupport.ArrangeAsync();
        await using var _ = database;
        var version = await AssuranceTestSupport.PublishAsync(database, state);
        var signed = await AssuranceTestSupport.SignAsync(database, state.UserA1, version);
        await using var ctx = DashboardContext.Create(database, state.UserA1.Username);

        var page = ctx.Render<SignAssurance>();

        page.WaitForAssertion(() => Assert.Equal(signed.VerificationCode, page.Find("[data-testid=verification-code]").TextContent.Trim()));
        Assert.Empty(page.FindAll("[data-testid=statement]"));
        Assert.Empty(page.FindButtons("Sign statement"));
        Assert.Equal(DocumentEndpoints.SignedStatementUrl(signed.Id), page.Find("[data-testid=signed-pdf]").GetAttribute("href"));
    }

    [Fact]
    public async Task SignedInAnotherTabMeanwhile_ShowsTheSignatureThatStands()
    {
        var (database, state) = await AssuranceTestSupport.ArrangeAsync();
        await using var _ = database;
        var version = await AssuranceTestSupport.PublishAsync(database, state);
        await using var ctx = DashboardContext.Create(database, state.UserA1.Username);
        var page = Open(ctx);
        var first = await AssuranceTestSupport.SignAsync(database, state.UserA1, version);

        await SignAsync(page, AssuranceTestSupport.Acknowledgements, state.UserA1.FullName);

        page.WaitForAssertion(() => Assert.Contains("You already signed", page.Find("[data-testid=signing-notice]").TextContent));
        Assert.Equal(first.VerificationCode, page.Find("[data-testid=verification-code]").TextContent.Trim());
        Assert.Equal(1, await SignatureCountAsync(database));
    }

    [Fact]
    public async Task NothingPublished_SaysThereIsNothingToSignYet()
    {
        var (database, state) = await AssuranceTestSupport.ArrangeAsync();
        await using var _ = database;
        await using var ctx = DashboardContext.Create(database, state.UserA1.Username);

        var page = ctx.Render<SignAssurance>();

        page.WaitForAssertion(() => Assert.Contains("nothing to sign", page.Find("[data-testid=no-statement]").TextContent));
        Assert.Contains("not signed a confidentiality assurance statement yet", page.Find("[data-testid=no-signatures]").TextContent);
    }
}
