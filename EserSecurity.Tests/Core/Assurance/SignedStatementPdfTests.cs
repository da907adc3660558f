using EserSecurity.Core.Documents;
using EserSecurity.Core.Security;
using EserSecurity.Tests.Core.Documents;
using EserSecurity.Tests.Support;
using Microsoft.Extensions.Options;
using UglyToad.PdfPig;
using static EserSecurity.Tests.Core.Assurance.AssuranceTestSupport;

namespace EserSecurity.Tests.Core.Assurance;

public sealed class SignedStatementPdfTests
{
    [Fact]
    public async Task SignedStatement_CarriesTheStatementSignerStaffIdYearAndCode()
    {
        var (database, state) = await ArrangeAsync();
        await using var _ = database;
        var signature = await SignAsync(database, state.UserA1, await PublishAsync(database, state), "User Alpha1");

        var document = await database.Get<DocumentService>().SignedStatementAsync(TestState.CallerFor(state.UserA1), signature.Id);

        Assert.Equal(($"confidentiality-assurance-2026-27-{state.UserA1.StaffId}.pdf", "application/pdf"), (document.FileName, document.ContentType));
        var text = PdfText.All(document.Content);
        Assert.Contains("user alpha1 signed the 2026–27 confidentiality assurance statement below on Saturday, November 28, 2026, 3:00 p.m. UTC.", text, StringComparison.Ordinal);
        Assert.Contains("Signer: user alpha1", text, StringComparison.Ordinal);
        Assert.Contains($"Staff ID: {state.UserA1.StaffId}", text, StringComparison.Ordinal);
        Assert.Contains("School system: Alpha Parish Schools", text, StringComparison.Ordinal);
        Assert.Contains("School year: 2026–27", text, StringComparison.Ordinal);
        Assert.Contains("Typed name: User Alpha1", text, StringComparison.Ordinal);
        Assert.Contains("Statement version: 1, published Saturday, November 28, 2026", text, StringComparison.Ordinal);
        Assert.Contains($"Verification code: {signature.VerificationCode}", text, StringComparison.Ordinal);
        Assert.Contains("Text fingerprint (SHA-256):", text, StringComparison.Ordinal);
        Assert.Contains("Why I sign eSER holds students' IEPs. They are protected by law.", text, StringComparison.Ordinal);
        Assert.Contains("• I access records only for my duties. • I keep copies secure.", text, StringComparison.Ordinal);
        Assert.All(Acknowledgements, a => Assert.Contains(a, text, StringComparison.Ordinal));
        Assert.Contains("open the Verify page", text, StringComparison.Ordinal);
        using var pdf = PdfDocument.Open(document.Content);
        Assert.Equal("Confidentiality Assurance 2026–27 — user alpha1", pdf.Information.Title);
    }

    [Fact]
    public async Task SignedStatement_WithAConsoleAddress_CarriesAQrCodeToTheVerificationPage()
    {
        var (database, state) = await ArrangeAsync();
        await using var _ = database;
        var signature = await SignAsync(database, state.UserA1, await PublishAsync(database, state));
        var service = new DocumentService(database.Factory, database.Get<ScopeService>(), database.Clock,
            Options.Create(new DocumentOptions { ConsoleUrl = "https://eser-access.example.org/" }));

        var withQr = await service.SignedStatementAsync(TestState.CallerFor(state.UserA1), signature.Id);
        var without = await database.Get<DocumentService>().SignedStatementAsync(TestState.CallerFor(state.UserA1), signature.Id);

        Assert.Contains($"open https://eser-access.example.org/verify/{signature.VerificationCode} to see", PdfText.All(withQr.Content), StringComparison.Ordinal);
        Assert.True(Rectangles(withQr.Content) - Rectangles(without.Content) > 100, "the QR code's modules are drawn");
    }

    [Fact]
    public async Task SignedStatement_IsAvailableLaterAfterACorrection_AndPrintsTheVersionSigned()
    {
        var (database, state) = await ArrangeAsync();
        await using var _ = database;
        var signature = await SignAsync(database, state.UserA1, await PublishAsync(database, state));
        await PublishAsync(database, state, Content(title: "Corrected Statement"));
        database.Clock.Advance(TimeSpan.FromDays(400));

        var document = await database.Get<DocumentService>().SignedStatementAsync(TestState.CallerFor(state.UserA1), signature.Id);

        var text = PdfText.All(document.Content);
        Assert.Contains("Statement version: 1", text, StringComparison.Ordinal);
        Assert.Contains(Title, text, StringComparison.Ordinal);
        Assert.DoesNotContain("Corrected Statement", text, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("userA1", true)]
    [InlineData("admin", true)]
    [InlineData("district", true)]
    [InlineData("supervisor", true)]
    [InlineData("local", true)]
    [InlineData("districtB", false)]
    [InlineData("userA3", false)]
    public async Task SignedStatement_GoesToTheSignerAndThoseWhoseScopeCoversThem(string who, bool allowed)
    {
        var (database, state) = await ArrangeAsync();
        await using var _ = database;
        var signature = await SignAsync(database, state.UserA1, await PublishAsync(database, state));
        var caller = TestState.CallerFor(Person(state, who));

        var attempt = () => database.Get<DocumentService>().SignedStatementAsync(caller, signature.Id);

        if (allowed)
        {
            Assert.NotEmpty((await attempt()).Content);
        }
        else
        {
            var error = await Assert.ThrowsAsync<ScopeDeniedException>(attempt);
            Assert.Equal("That signed statement does not exist or is outside your scope.", error.Message);
        }
    }

    [Fact]
    public async Task SignedStatement_OfAPersonOutsideALocalCoordinatorsSchools_IsRefused()
    {
        var (database, state) = await ArrangeAsync();
        await using var _ = database;
        var signature = await SignAsync(database, state.UserA3, await PublishAsync(database, state));

        await Assert.ThrowsAsync<ScopeDeniedException>(() =>
            database.Get<DocumentService>().SignedStatementAsync(TestState.CallerFor(state.LocalA), signature.Id));
    }

    private static int Rectangles(byte[] content)
    {
        using var pdf = PdfDocument.Open(content);
        return pdf.GetPages().Sum(p => p.Operations.OfType<UglyToad.PdfPig.Graphics.Operations.PathConstruction.AppendRectangle>().Count());
    }
}
