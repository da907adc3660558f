using EserSecurity.Core.Documents;
using EserSecurity.Core.Documents.Layout;
using PdfSharp.Fonts;
using UglyToad.PdfPig;
using UglyToad.PdfPig.Graphics.Operations.PathConstruction;

namespace EserSecurity.Tests.Core.Documents;

public sealed class PdfComposerTests
{
    private static readonly DateOnly Today = new(2026, 11, 28);

    private static PdfComposer Composer() => new(
        new DocumentMetadata("Test title", "Test subject", "Test author", "test", new DateTimeOffset(2026, 11, 28, 15, 0, 0, TimeSpan.Zero), Today),
        new TitleBand("eSER · EdLink Security", "Composer test", "000 · Nowhere"));

    private static readonly TableColumn[] TwoColumns = [new("Person", 200), new("Number", 312)];

    [Fact]
    public void Paragraph_BoldMarkup_DrawsOnlyTheMarkedWordsInTheBoldFace()
    {
        var pdf = Composer().Paragraph("Choose **Approve** or **Deny** in the queue.").Build();

        using var document = PdfDocument.Open(pdf);
        var words = document.GetPage(1).GetWords().ToList();
        Assert.Contains("Bold", words.Single(w => w.Text == "Approve").Letters[0].FontName, StringComparison.Ordinal);
        Assert.Contains("Bold", words.Single(w => w.Text == "Deny").Letters[0].FontName, StringComparison.Ordinal);
        Assert.DoesNotContain("Bold", words.Single(w => w.Text == "Choose").Letters[0].FontName, StringComparison.Ordinal);
        Assert.Contains("Choose Approve or Deny in the queue.", PdfText.All(pdf), StringComparison.Ordinal);
    }

    [Fact]
    public void Paragraph_EscapedData_PrintsAsterisksLiterallyAndStaysRegular()
    {
        var pdf = Composer().Paragraph($"Name: {Markup.Escape("**Not bold** a\\b")}").Build();

        using var document = PdfDocument.Open(pdf);
        var page = document.GetPage(1);
        Assert.Contains("Name: **Not bold** a\\b", PdfText.All(pdf), StringComparison.Ordinal);
        Assert.DoesNotContain(page.GetWords().Single(w => w.Text == "**Not").Letters, l => (l.FontName ?? "").Contains("Bold", StringComparison.Ordinal));
    }

    [Fact]
    public void Paragraph_LongText_WrapsInsideTheMarginsAndKeepsEveryWord()
    {
        var words = Enumerable.Range(1, 400).Select(i => $"word{i}").ToList();

        var pdf = Composer().Paragraph(string.Join(" ", words)).Build();

        using var document = PdfDocument.Open(pdf);
        var page = document.GetPage(1);
        Assert.All(page.Letters.Where(l => l.Value.StartsWith('w') || char.IsDigit(l.Value[0])),
            l => Assert.InRange(l.BoundingBox.Right, DocumentTheme.MarginX - 0.5, DocumentTheme.PageWidth - DocumentTheme.MarginX + 0.5));
        Assert.Equal(words, PdfText.All(pdf).Split(' ').Where(w => w.StartsWith("word", StringComparison.Ordinal)));
        Assert.True(page.GetWords().Select(w => Math.Round(w.BoundingBox.Bottom)).Distinct().Count() > 10, "the paragraph wraps onto many lines");
    }

    [Fact]
    public void Wrap_EmailWiderThanTheColumn_BreaksAtTheAtSignOrADot()
    {
        var lines = TextWrapper.Wrap("christopher.montgomery-fontenot@stcharles.k12.example.org", FontFace.Regular, 8.5, 120);

        Assert.True(lines.Count > 1);
        Assert.All(lines, l => Assert.True(l.Width <= 120.01, $"line of {l.Width} points"));
        for (var i = 1; i < lines.Count; i++)
        {
            Assert.True(lines[i].Segments[0].Text[0] == '@' || lines[i - 1].Segments[^1].Text[^1] is '.' or '-',
                $"break before line {i}: \"{lines[i - 1].Segments[^1].Text}\" | \"{lines[i].Segments[0].Text}\"");
        }
        Assert.Equal("christopher.montgomery-fontenot@stcharles.k12.example.org", string.Concat(lines.Select(l => l.Segments[0].Text)));
    }

    [Fact]
    public void Table_LongerThanAPage_RepeatsTheHeaderRowAtTheTopOfEveryPage()
    {
        var rows = Enumerable.Range(1, 150).Select(i => (IReadOnlyList<string>)[$"Person{i:000}", $"{i}"]).ToList();

        var pdf = Composer().Heading("People").Table(TwoColumns, rows).Paragraph("**Total: 150**").Build();

        var pages = PdfText.Pages(pdf);
        Assert.True(pages.Count >= 3, $"150 rows take several pages, got {pages.Count}");
        using var document = PdfDocument.Open(pdf);
        foreach (var page in document.GetPages())
        {
            var header = page.GetWords().Single(w => w.Text == "Person");
            var firstRow = page.GetWords().Where(w => w.Text.StartsWith("Person", StringComparison.Ordinal) && w.Text != "Person").MaxBy(w => w.BoundingBox.Top)!;
            Assert.True(header.BoundingBox.Bottom > firstRow.BoundingBox.Top, $"the header row is above the first row on page {page.Number}");
        }
        var listed = string.Join(" ", pages).Split(' ').Where(w => w.StartsWith("Person", StringComparison.Ordinal) && w != "Person").ToList();
        Assert.Equal(rows.Select(r => r[0]), listed);
        Assert.EndsWith("Total: 150", pages[^1].Split(" Generated ")[0], StringComparison.Ordinal);
    }

    [Fact]
    public void Heading_AtTheFootOfAPage_MovesToTheNextPageWithTheTableItIntroduces()
    {
        // Fill page one so that about 35–52 points remain: room for the heading alone, not for the heading and its table.
        var filler = 0;
        while (Fill(filler + 1).PageCount == 1)
        {
            filler++;
        }
        var composer = Fill(filler - 2);

        var pdf = composer.Heading("Closing table").Table(TwoColumns, [["Person1", "1"]]).Build();

        var pages = PdfText.Pages(pdf);
        Assert.Equal(2, pages.Count);
        Assert.DoesNotContain("Closing table", pages[0], StringComparison.Ordinal);
        Assert.Contains("Closing table Person Number Person1 1", pages[1], StringComparison.Ordinal);
    }

    private static PdfComposer Fill(int lines)
    {
        var composer = Composer();
        for (var i = 0; i < lines; i++)
        {
            composer.Paragraph("Filler line.");
        }
        return composer;
    }

    [Fact]
    public void Build_EveryPage_HasTheRunningFooterWithPageXOfYAndTheGenerationDate()
    {
        var composer = Composer();
        for (var i = 0; i < 200; i++)
        {
            composer.Paragraph($"Line {i}.");
        }

        var pages = PdfText.Pages(composer.Build());

        Assert.True(pages.Count > 1);
        for (var i = 0; i < pages.Count; i++)
        {
            Assert.Contains($"Page {i + 1} of {pages.Count}", pages[i], StringComparison.Ordinal);
            Assert.Contains("Generated Saturday, November 28, 2026", pages[i], StringComparison.Ordinal);
        }
        Assert.StartsWith("ESER · EDLINK SECURITY Composer test 000 · Nowhere", pages[0], StringComparison.Ordinal);
        Assert.StartsWith("Composer test — 000 · Nowhere", pages[1], StringComparison.Ordinal);
    }

    [Fact]
    public void Build_IsUsLetterWithTitleAuthorSubjectAndEmbeddedLiberationSans()
    {
        var pdf = Composer().Paragraph("Text with **bold**, accents (Joëlle Thibodeaux, Nguyễn) and a dash: 2:00–3:00 p.m.").Build();

        using var document = PdfDocument.Open(pdf);
        Assert.Equal("Test title", document.Information.Title);
        Assert.Equal("Test author", document.Information.Author);
        Assert.Equal("Test subject", document.Information.Subject);
        var page = document.GetPage(1);
        Assert.Equal((612d, 792d), (page.Width, page.Height));
        Assert.All(page.Letters, l => Assert.Contains("LiberationSans", (l.FontName ?? "").Replace(" ", "", StringComparison.Ordinal), StringComparison.Ordinal));
        Assert.Contains("Joëlle Thibodeaux, Nguyễn) and a dash: 2:00–3:00 p.m.", PdfText.All(pdf), StringComparison.Ordinal);
    }

    [Fact]
    public void Callout_DrawsItsTitleAndBodyInsideTheBox()
    {
        var pdf = Composer().Callout("Users without an approved role **cannot** reach eSER.", CalloutTone.Warning, "No approved role, no access").Build();

        Assert.Contains("No approved role, no access Users without an approved role cannot reach eSER.", PdfText.All(pdf), StringComparison.Ordinal);
    }

    [Fact]
    public void QrCode_DrawsTheModulesAsFilledRectanglesBesideItsCaption()
    {
        var plain = Composer().Paragraph("Caption only").Build();
        var withQr = Composer().QrCode("https://eser-access.example.org/requests/new", "**Scan to request access**").Build();

        using var plainDocument = PdfDocument.Open(plain);
        using var qrDocument = PdfDocument.Open(withQr);
        var rectangles = qrDocument.GetPage(1).Operations.OfType<AppendRectangle>().Count()
            - plainDocument.GetPage(1).Operations.OfType<AppendRectangle>().Count();
        Assert.True(rectangles > 100, $"a version-3 QR code has well over 100 runs of dark modules, drew {rectangles}");
        Assert.Contains("Scan to request access", PdfText.All(withQr), StringComparison.Ordinal);
    }

    [Fact]
    public void FontResolver_RegisteredFromManyThreadsAtOnce_IsSetOnceAndKept()
    {
        Parallel.For(0, 16, _ => DocumentFonts.EnsureRegistered());
        var resolver = GlobalFontSettings.FontResolver;

        Parallel.For(0, 8, _ => Composer().Paragraph("In parallel **too**.").Build());

        Assert.NotNull(resolver);
        Assert.Same(resolver, GlobalFontSettings.FontResolver);
        Assert.NotNull(resolver.GetFont(resolver.ResolveTypeface("Liberation Sans", true, false)!.FaceName));
    }

    [Theory]
    [InlineData(14, 0, 15, 0, "2:00–3:00 p.m.")]
    [InlineData(9, 30, 10, 45, "9:30–10:45 a.m.")]
    [InlineData(11, 0, 12, 30, "11:00 a.m.–12:30 p.m.")]
    public void TimeRange_PrintsTheMeridiemOnceWhenBothTimesShareIt(int h1, int m1, int h2, int m2, string expected) =>
        Assert.Equal(expected, DocumentDates.TimeRange(new TimeOnly(h1, m1), new TimeOnly(h2, m2)));

    [Fact]
    public void LongDate_SpellsOutTheWeekdayAndMonth() =>
        Assert.Equal("Monday, January 4, 2027", DocumentDates.Long(new DateOnly(2027, 1, 4)));
}
