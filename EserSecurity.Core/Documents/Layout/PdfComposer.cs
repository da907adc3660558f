using System.Collections.Concurrent;
using PdfSharp;
using PdfSharp.Drawing;
using PdfSharp.Pdf;
using QRCoder;
using static EserSecurity.Core.Documents.Layout.DocumentTheme;

namespace EserSecurity.Core.Documents.Layout;

/// <summary>
/// A document written as a sequence of blocks — headings, paragraphs with inline bold, lists, tables, callouts and a
/// QR code — laid out on US Letter pages with a title band, a running header and a "page x of y" footer.
/// Blocks are laid out as they are added (into unbreakable chunks); <see cref="Build()"/> breaks the chunks into pages,
/// repeating a table's header row after every break, and only then draws, so the page count is known for the footer.
/// </summary>
internal sealed class PdfComposer
{
    private readonly DocumentMetadata _metadata;
    private readonly TitleBand _band;
    private readonly List<Chunk> _chunks = [];
    private readonly double _ascent;
    private readonly double _descent;
    private List<List<Placed>>? _pages;

    public PdfComposer(DocumentMetadata metadata, TitleBand band)
    {
        DocumentFonts.EnsureRegistered();
        _metadata = metadata;
        _band = band;
        var metrics = DocumentFonts.Metrics(FontFace.Regular);
        _ascent = metrics.Ascent;
        _descent = Math.Abs(metrics.Descent);
    }

    /// <summary>How many pages the blocks added so far take.</summary>
    public int PageCount => Paginate().Count;

    /// <summary>A section heading with a rule under it; it is never left alone at the bottom of a page.</summary>
    public PdfComposer Heading(string text)
    {
        var line = TextWrapper.Wrap(text, FontFace.Bold, HeadingSize, ContentWidth);
        var lineHeight = HeadingSize * Leading;
        var height = line.Count * lineHeight + 4;
        Add(new Chunk(height, (g, x, y) =>
        {
            DrawLines(g, line, x, y, HeadingSize, lineHeight, Navy);
            g.DrawLine(Pen(Rule, 0.75), x, y + height - 1, x + ContentWidth, y + height - 1);
        })
        { SpaceBefore = HeadingSpacing, KeepWithNext = true, SpaceAfter = 3 });
        return this;
    }

    /// <summary>A paragraph of markup (<c>**bold**</c>); it may break between lines across pages.</summary>
    public PdfComposer Paragraph(string markup, ParagraphStyle style = ParagraphStyle.Body)
    {
        var (size, face, color) = style switch
        {
            ParagraphStyle.Lead => (LeadSize, FontFace.Regular, Ink),
            ParagraphStyle.Note => (SmallSize, FontFace.Regular, Muted),
            _ => (BodySize, FontFace.Regular, Ink),
        };
        AddLines(TextWrapper.Wrap(Markup.Parse(markup, face), size, ContentWidth), size, color, 0, ParagraphSpacing);
        return this;
    }

    /// <summary>A bulleted list; each item is markup.</summary>
    public PdfComposer Bullets(IEnumerable<string> items) => List(items, TextMarker(_ => "•", FontFace.Regular, Muted));

    /// <summary>A numbered list; each item is markup.</summary>
    public PdfComposer Numbered(IEnumerable<string> items) => List(items, TextMarker(i => $"{i + 1}.", FontFace.Bold, Navy));

    /// <summary>A list of ticked boxes, as on a signed form; each item is markup. The boxes are drawn, not a font's glyph.</summary>
    public PdfComposer Checklist(IEnumerable<string> items) => List(items, (g, x, top, lineHeight, _) =>
    {
        const double box = 7.5;
        var left = x + ListIndent - 5 - box;
        var boxTop = top + (lineHeight - box) / 2;
        var pen = Pen(Navy, 0.8);
        g.DrawRectangle(pen, left, boxTop, box, box);
        g.DrawLines(Pen(Navy, 1.1),
        [
            new XPoint(left + 1.6, boxTop + box * 0.52),
            new XPoint(left + box * 0.42, boxTop + box - 1.7),
            new XPoint(left + box - 1.3, boxTop + 1.5),
        ]);
    });

    /// <summary>
    /// A table with a filled header row that repeats at the top of every page the table continues on. Cells are plain
    /// text (never markup) and wrap within their column; a row never breaks across pages.
    /// </summary>
    public PdfComposer Table(IReadOnlyList<TableColumn> columns, IEnumerable<IReadOnlyList<string>> rows)
    {
        var totalWeight = columns.Sum(c => c.Weight);
        var widths = columns.Select(c => c.Weight / totalWeight * ContentWidth).ToArray();
        var lineHeight = TableSize * Leading;

        var headerCells = columns.Select((c, i) => TextWrapper.Wrap(c.Header, FontFace.Bold, TableSize, widths[i] - 2 * CellPaddingX)).ToArray();
        var headerHeight = headerCells.Max(c => c.Count) * lineHeight + 2 * CellPaddingY;
        var header = new Chunk(headerHeight, (g, x, y) =>
        {
            g.DrawRectangle(Brush(Navy), x, y, ContentWidth, headerHeight);
            DrawCells(g, columns, widths, headerCells, x, y, lineHeight, BandText);
        })
        { SpaceBefore = ParagraphSpacing + 1, KeepWithNext = true };
        Add(header);

        var index = 0;
        foreach (var row in rows)
        {
            var cells = new IReadOnlyList<TextLine>[columns.Count];
            var lines = 1;
            for (var i = 0; i < columns.Count; i++)
            {
                var text = i < row.Count ? row[i] : "";
                cells[i] = TextWrapper.Wrap(text, columns[i].Bold ? FontFace.Bold : FontFace.Regular, TableSize, widths[i] - 2 * CellPaddingX);
                lines = Math.Max(lines, cells[i].Count);
            }
            var height = lines * lineHeight + 2 * CellPaddingY;
            var striped = index++ % 2 == 1;
            Add(new Chunk(height, (g, x, y) =>
            {
                if (striped)
                {
                    g.DrawRectangle(Brush(Stripe), x, y, ContentWidth, height);
                }
                g.DrawLine(Pen(Rule, 0.5), x, y + height, x + ContentWidth, y + height);
                DrawCells(g, columns, widths, cells, x, y, lineHeight, Ink);
            })
            { RepeatedHeader = header });
        }
        return this;
    }

    /// <summary>A tinted box with an accent bar: an optional bold title and a markup body (a newline starts a new line).</summary>
    public PdfComposer Callout(string markup, CalloutTone tone = CalloutTone.Info, string? title = null)
    {
        var (fill, accent) = tone == CalloutTone.Warning ? (WarningFill, WarningAccent) : (InfoFill, InfoAccent);
        var innerWidth = ContentWidth - 2 * CalloutPadding - 3;
        var lineHeight = BodySize * Leading;
        var titleLines = title is null ? [] : TextWrapper.Wrap(title, FontFace.Bold, BodySize, innerWidth);
        var bodyLines = TextWrapper.Wrap(Markup.Parse(markup), BodySize, innerWidth);
        var height = 2 * CalloutPadding + (titleLines.Count + bodyLines.Count) * lineHeight + (titleLines.Count > 0 ? 1.5 : 0);
        Add(new Chunk(height, (g, x, y) =>
        {
            g.DrawRectangle(Brush(fill), x, y, ContentWidth, height);
            g.DrawRectangle(Brush(accent), x, y, 3, height);
            var textX = x + 3 + CalloutPadding;
            var textY = y + CalloutPadding;
            DrawLines(g, titleLines, textX, textY, BodySize, lineHeight, accent);
            textY += titleLines.Count * lineHeight + (titleLines.Count > 0 ? 1.5 : 0);
            DrawLines(g, bodyLines, textX, textY, BodySize, lineHeight, Ink);
        })
        { SpaceBefore = ParagraphSpacing + 3 });
        return this;
    }

    /// <summary>
    /// A QR code for <paramref name="payload"/> with a markup caption beside it. The modules are drawn as filled
    /// rectangles from QRCoder's module matrix (quiet zone included), so no bitmap library is involved.
    /// </summary>
    public PdfComposer QrCode(string payload, string captionMarkup)
    {
        var modules = EncodeQr(payload);
        var lineHeight = BodySize * Leading;
        var captionX = QrSize + 12;
        var caption = TextWrapper.Wrap(Markup.Parse(captionMarkup), BodySize, ContentWidth - captionX);
        var captionHeight = caption.Count * lineHeight;
        var height = Math.Max(QrSize, captionHeight);
        Add(new Chunk(height, (g, x, y) =>
        {
            DrawModules(g, modules, x, y, QrSize);
            DrawLines(g, caption, x + captionX, y + (height - captionHeight) / 2, BodySize, lineHeight, Ink);
        })
        { SpaceBefore = ParagraphSpacing + 3 });
        return this;
    }

    /// <summary>Vertical space; dropped at the top of a page.</summary>
    public PdfComposer Spacer(double points)
    {
        Add(new Chunk(points, static (_, _, _) => { }) { IsSpace = true });
        return this;
    }

    /// <summary>Lays out the pages and draws them; returns the PDF's bytes.</summary>
    public byte[] Build() => Build(_metadata);

    /// <summary>
    /// As <see cref="Build()"/>, for <paramref name="author"/> at <paramref name="createdAt"/>: a document composed for one
    /// download, built again for another. Building only reads the composition, so it may run on several threads at once.
    /// </summary>
    public byte[] Build(string author, DateTimeOffset createdAt) => Build(_metadata with { Author = author, CreatedAt = createdAt });

    private byte[] Build(DocumentMetadata metadata)
    {
        var pages = Paginate();
        using var document = new PdfDocument();
        document.Info.Title = metadata.Title;
        document.Info.Subject = metadata.Subject;
        document.Info.Author = metadata.Author;
        document.Info.Keywords = metadata.Keywords;
        document.Info.Creator = "eSER Access Security console";
        document.Info.CreationDate = metadata.CreatedAt.UtcDateTime;
        document.Info.ModificationDate = metadata.CreatedAt.UtcDateTime;
        document.ViewerPreferences.DisplayDocTitle = true;
        document.Options.CompressContentStreams = true;
        document.Options.FlateEncodeMode = PdfFlateEncodeMode.BestSpeed;

        for (var p = 0; p < pages.Count; p++)
        {
            var page = document.AddPage();
            page.Size = PageSize.Letter;
            using var g = XGraphics.FromPdfPage(page);
            if (p == 0)
            {
                DrawBand(g);
            }
            else
            {
                DrawRunningHeader(g);
            }
            var top = p == 0 ? FirstPageBodyTop : LaterPageBodyTop;
            foreach (var placed in pages[p])
            {
                placed.Chunk.Draw(g, MarginX, top + placed.Y);
            }
            DrawFooter(g, p + 1, pages.Count);
        }

        using var output = new MemoryStream();
        document.Save(output, false);
        return output.ToArray();
    }

    /// <summary>Draws an item's marker in the indent before its first line: (graphics, left edge, line top, line height, item index).</summary>
    private delegate void MarkerDrawer(XGraphics g, double x, double top, double lineHeight, int index);

    private MarkerDrawer TextMarker(Func<int, string> marker, FontFace face, XColor color) => (g, x, top, lineHeight, index) =>
    {
        var mark = marker(index);
        DrawText(g, mark, face, BodySize, color, x + ListIndent - 5 - DocumentFonts.Width(face, mark, BodySize), Baseline(top, BodySize, lineHeight));
    };

    private PdfComposer List(IEnumerable<string> items, MarkerDrawer marker)
    {
        var index = 0;
        foreach (var item in items)
        {
            var lines = TextWrapper.Wrap(Markup.Parse(item), BodySize, ContentWidth - ListIndent);
            var lineHeight = BodySize * Leading;
            var itemIndex = index;
            for (var i = 0; i < lines.Count; i++)
            {
                var line = lines[i];
                var first = i == 0;
                Add(new Chunk(lineHeight, (g, x, y) =>
                {
                    if (first)
                    {
                        marker(g, x, y, lineHeight, itemIndex);
                    }
                    DrawLine(g, line, x + ListIndent, y, BodySize, lineHeight, Ink);
                })
                { SpaceBefore = first ? (index == 0 ? ParagraphSpacing : ListItemSpacing) : 0 });
            }
            index++;
        }
        return this;
    }

    private void AddLines(IReadOnlyList<TextLine> lines, double size, XColor color, double indent, double spaceBefore)
    {
        var lineHeight = size * Leading;
        for (var i = 0; i < lines.Count; i++)
        {
            var line = lines[i];
            Add(new Chunk(lineHeight, (g, x, y) => DrawLine(g, line, x + indent, y, size, lineHeight, color))
            {
                SpaceBefore = i == 0 ? spaceBefore : 0,
            });
        }
    }

    private void Add(Chunk chunk)
    {
        _chunks.Add(chunk);
        _pages = null;
    }

    /// <summary>
    /// Places chunks top to bottom. A chunk that does not fit starts a new page, taking along the chunks kept with it
    /// (a heading and the table header under it) and preceded by its table's header row when it is a table row.
    /// </summary>
    private List<List<Placed>> Paginate()
    {
        if (_pages is not null)
        {
            return _pages;
        }
        var pages = new List<List<Placed>> { new() };
        var page = pages[0];
        double y = 0;
        double limit = BodyBottom - FirstPageBodyTop;
        double? spaceAfterPrevious = null;
        for (var i = 0; i < _chunks.Count; i++)
        {
            var chunk = _chunks[i];
            if (chunk.IsSpace)
            {
                y += page.Count == 0 ? 0 : chunk.Height;
                continue;
            }
            var gap = page.Count == 0 ? 0 : spaceAfterPrevious ?? chunk.SpaceBefore;
            var needed = gap + chunk.Height;
            for (var j = i; j + 1 < _chunks.Count && _chunks[j].KeepWithNext; j++)
            {
                needed += (_chunks[j].SpaceAfter ?? _chunks[j + 1].SpaceBefore) + _chunks[j + 1].Height;
            }
            if (page.Count > 0 && y + needed > limit)
            {
                page = [];
                pages.Add(page);
                y = 0;
                gap = 0;
                limit = BodyBottom - LaterPageBodyTop;
                if (chunk.RepeatedHeader is { } header)
                {
                    page.Add(new Placed(header, 0));
                    y = header.Height;
                }
            }
            page.Add(new Placed(chunk, y + gap));
            y += gap + chunk.Height;
            spaceAfterPrevious = chunk.SpaceAfter;
        }
        return _pages = pages;
    }

    private void DrawBand(XGraphics g)
    {
        g.DrawRectangle(Brush(Navy), 0, 0, PageWidth, BandHeight);
        g.DrawRectangle(Brush(InfoAccent), 0, BandHeight, PageWidth, 3);
        var qrX = PageWidth - MarginX - BandQrSize;
        var textWidth = (_band.QrPayload is null ? PageWidth - MarginX : qrX - 12) - MarginX;
        DrawText(g, Fit(_band.Eyebrow.ToUpperInvariant(), FontFace.Bold, EyebrowSize, textWidth), FontFace.Bold, EyebrowSize, BandAccent, MarginX, 26);
        DrawText(g, Fit(_band.Title, FontFace.Bold, TitleSize, textWidth), FontFace.Bold, TitleSize, BandText, MarginX, 52);
        DrawText(g, Fit(_band.Subtitle, FontFace.Regular, SubtitleSize, textWidth), FontFace.Regular, SubtitleSize, BandText, MarginX, 70);
        if (_band.QrPayload is null)
        {
            return;
        }
        // The code's own quiet zone is white, so it scans on the dark band.
        var qrY = (BandHeight - BandQrSize) / 2;
        g.DrawRectangle(Brush(BandText), qrX, qrY, BandQrSize, BandQrSize);
        DrawModules(g, BandQrModules(_band.QrPayload), qrX, qrY, BandQrSize);
        var caption = _band.QrCaption ?? [];
        var titleEnd = MarginX + DocumentFonts.Width(FontFace.Bold, _band.Title, TitleSize);
        var captionWidth = caption.Count == 0 ? 0 : caption.Max(line => DocumentFonts.Width(FontFace.Regular, line, SmallSize));
        if (qrX - 10 - captionWidth < titleEnd + 16)
        {
            return;
        }
        var lineHeight = SmallSize * Leading;
        var baseline = BandHeight / 2 - caption.Count * lineHeight / 2 + SmallSize;
        foreach (var line in caption)
        {
            DrawText(g, line, FontFace.Regular, SmallSize, BandText, qrX - 10 - DocumentFonts.Width(FontFace.Regular, line, SmallSize), baseline);
            baseline += lineHeight;
        }
    }

    /// <summary>A one-line text cut to <paramref name="width"/> with an ellipsis, for the band and running header.</summary>
    private static string Fit(string text, FontFace face, double size, double width)
    {
        if (DocumentFonts.Width(face, text, size) <= width)
        {
            return text;
        }
        var room = width - DocumentFonts.Width(face, "…", size);
        var length = 0;
        double used = 0;
        while (length < text.Length)
        {
            var next = DocumentFonts.Width(face, text.AsSpan(length, 1), size);
            if (used + next > room)
            {
                break;
            }
            used += next;
            length++;
        }
        return text[..length].TrimEnd() + "…";
    }

    /// <summary>Most band QR payloads whose modules are kept: a band's payload is one of a few console links.</summary>
    private const int KeptQrPayloads = 16;

    /// <summary>
    /// Module matrices of the band QR payloads met first. Every one-pager of a kind carries the same link, and encoding
    /// it costs about as much as drawing the rest of the band; a matrix is only read once made, so documents on any
    /// thread share it. A block's QR code (a signed statement's own verification link) is encoded each time.
    /// </summary>
    private static readonly ConcurrentDictionary<string, bool[][]> KeptQrModules = new(StringComparer.Ordinal);

    /// <summary>The module matrix of a band's QR payload, encoded once while few payloads are kept.</summary>
    internal static bool[][] BandQrModules(string payload)
    {
        if (KeptQrModules.TryGetValue(payload, out var kept))
        {
            return kept;
        }
        var modules = EncodeQr(payload);
        return KeptQrModules.Count < KeptQrPayloads ? KeptQrModules.GetOrAdd(payload, modules) : modules;
    }

    /// <summary>QRCoder's module matrix (quiet zone included) as rows of dark/light.</summary>
    private static bool[][] EncodeQr(string payload)
    {
        using var data = QRCodeGenerator.GenerateQrCode(payload, QRCodeGenerator.ECCLevel.M);
        return data.ModuleMatrix.Select(row => Enumerable.Range(0, row.Length).Select(i => row[i]).ToArray()).ToArray();
    }

    private void DrawRunningHeader(XGraphics g)
    {
        DrawText(g, Fit($"{_band.Title} — {_band.Subtitle}", FontFace.Regular, SmallSize, ContentWidth), FontFace.Regular, SmallSize, Muted,
            MarginX, RunningHeaderBaseline);
        g.DrawLine(Pen(Rule, 0.75), MarginX, RunningHeaderBaseline + 7, PageWidth - MarginX, RunningHeaderBaseline + 7);
    }

    private void DrawFooter(XGraphics g, int page, int pages)
    {
        g.DrawLine(Pen(Rule, 0.75), MarginX, FooterBaseline - 11, PageWidth - MarginX, FooterBaseline - 11);
        DrawText(g, $"Generated {DocumentDates.Long(_metadata.GeneratedOn)} · eSER Access Security console",
            FontFace.Regular, SmallSize, Muted, MarginX, FooterBaseline);
        var pageText = $"Page {page} of {pages}";
        DrawText(g, pageText, FontFace.Regular, SmallSize, Muted,
            PageWidth - MarginX - DocumentFonts.Width(FontFace.Regular, pageText, SmallSize), FooterBaseline);
    }

    private void DrawCells(XGraphics g, IReadOnlyList<TableColumn> columns, double[] widths, IReadOnlyList<TextLine>[] cells,
        double x, double y, double lineHeight, XColor color)
    {
        var cellX = x;
        for (var i = 0; i < columns.Count; i++)
        {
            var innerWidth = widths[i] - 2 * CellPaddingX;
            var lineY = y + CellPaddingY;
            foreach (var line in cells[i])
            {
                var offset = columns[i].Align == ColumnAlign.Center ? (innerWidth - line.Width) / 2 : 0;
                DrawLine(g, line, cellX + CellPaddingX + offset, lineY, TableSize, lineHeight, color);
                lineY += lineHeight;
            }
            cellX += widths[i];
        }
    }

    private static void DrawModules(XGraphics g, bool[][] modules, double x, double y, double size)
    {
        var module = size / modules.Length;
        var brush = new XSolidBrush(XColors.Black);
        for (var r = 0; r < modules.Length; r++)
        {
            var row = modules[r];
            for (var c = 0; c < row.Length; c++)
            {
                if (!row[c])
                {
                    continue;
                }
                var start = c;
                while (c + 1 < row.Length && row[c + 1])
                {
                    c++;
                }
                g.DrawRectangle(brush, x + start * module, y + r * module, (c - start + 1) * module, module);
            }
        }
    }

    private void DrawLines(XGraphics g, IReadOnlyList<TextLine> lines, double x, double y, double size, double lineHeight, XColor color)
    {
        foreach (var line in lines)
        {
            DrawLine(g, line, x, y, size, lineHeight, color);
            y += lineHeight;
        }
    }

    private void DrawLine(XGraphics g, TextLine line, double x, double top, double size, double lineHeight, XColor color)
    {
        var baseline = Baseline(top, size, lineHeight);
        foreach (var segment in line.Segments)
        {
            DrawText(g, segment.Text, segment.Face, size, color, x + segment.X, baseline);
        }
    }

    private void DrawText(XGraphics g, string text, FontFace face, double size, XColor color, double x, double baseline) =>
        g.DrawString(text, Font(face, size), Brush(color), x, baseline);

    /// <summary>The baseline that centres the face's ascent and descent in a line box.</summary>
    private double Baseline(double top, double size, double lineHeight) =>
        top + (lineHeight - (_ascent + _descent) * size) / 2 + _ascent * size;

    /// <summary>One brush per colour of the theme, shared by every document: PDFsharp only reads a brush's colour.</summary>
    private static readonly ConcurrentDictionary<XColor, XSolidBrush> Brushes = new();

    private static XFont Font(FontFace face, double size) => DocumentFonts.Get(face, size);

    private static XSolidBrush Brush(XColor color) => Brushes.GetOrAdd(color, static c => new XSolidBrush(c));

    private static XPen Pen(XColor color, double width) => new(color, width);

    /// <summary>An unbreakable piece of layout: its height and how to draw it with its top-left corner at (x, y).</summary>
    private sealed class Chunk(double height, Action<XGraphics, double, double> draw)
    {
        public double Height => height;

        /// <summary>Space above the chunk, dropped at the top of a page.</summary>
        public double SpaceBefore { get; init; }

        /// <summary>When set, the space below the chunk, instead of the next chunk's own space before.</summary>
        public double? SpaceAfter { get; init; }

        /// <summary>Only space: dropped at the top of a page.</summary>
        public bool IsSpace { get; init; }

        /// <summary>Moves to the next page together with the chunk after it.</summary>
        public bool KeepWithNext { get; init; }

        /// <summary>For a table row: the header row to draw again when the row starts a new page.</summary>
        public Chunk? RepeatedHeader { get; init; }

        public void Draw(XGraphics g, double x, double y) => draw(g, x, y);
    }

    private readonly record struct Placed(Chunk Chunk, double Y);
}
