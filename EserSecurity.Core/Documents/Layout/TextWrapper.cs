using System.Text;

namespace EserSecurity.Core.Documents.Layout;

/// <summary>A stretch of one line drawn in one face, starting <see cref="X"/> points from the line's left edge.</summary>
internal readonly record struct LineSegment(string Text, FontFace Face, double X);

/// <summary>One laid-out line: its segments and its width.</summary>
internal sealed record TextLine(IReadOnlyList<LineSegment> Segments, double Width);

/// <summary>
/// Greedy word wrap over runs of mixed faces. Breaks only at spaces (and at a newline); text glued to a word, such as
/// the comma after a bold name, stays with it. A word wider than the line is broken between characters.
/// </summary>
internal static class TextWrapper
{
    public static IReadOnlyList<TextLine> Wrap(IReadOnlyList<TextRun> runs, double size, double width)
    {
        var lines = new List<TextLine>();
        var current = new List<Word>();
        double lineWidth = 0;

        foreach (var word in Words(runs))
        {
            if (word.BreakBefore)
            {
                Flush();
            }
            var wordWidth = word.Width(size);
            var spaceWidth = current.Count == 0 ? 0 : DocumentFonts.Width(word.Pieces[0].Face, " ", size);
            if (current.Count > 0 && lineWidth + spaceWidth + wordWidth > width)
            {
                Flush();
                spaceWidth = 0;
            }
            if (current.Count == 0 && wordWidth > width)
            {
                foreach (var part in BreakLongWord(word, size, width))
                {
                    current.Add(part);
                    lineWidth = part.Width(size);
                    Flush();
                }
                continue;
            }
            current.Add(word);
            lineWidth += spaceWidth + wordWidth;
        }
        Flush();
        return lines;

        void Flush()
        {
            if (current.Count > 0)
            {
                lines.Add(ToLine(current, size));
                current.Clear();
                lineWidth = 0;
            }
        }
    }

    /// <summary>Plain text in one face, wrapped.</summary>
    public static IReadOnlyList<TextLine> Wrap(string text, FontFace face, double size, double width) =>
        Wrap([new TextRun(text, face)], size, width);

    private static TextLine ToLine(List<Word> words, double size)
    {
        var segments = new List<LineSegment>();
        var text = new StringBuilder();
        FontFace? face = null;
        double x = 0;
        double segmentX = 0;
        for (var w = 0; w < words.Count; w++)
        {
            for (var p = 0; p < words[w].Pieces.Count; p++)
            {
                var piece = words[w].Pieces[p];
                var pieceText = w > 0 && p == 0 ? " " + piece.Text : piece.Text;
                if (face != piece.Face)
                {
                    Close();
                    face = piece.Face;
                    segmentX = x;
                }
                text.Append(pieceText);
                x += DocumentFonts.Width(piece.Face, pieceText, size);
            }
        }
        Close();
        return new TextLine(segments, x);

        void Close()
        {
            if (face is { } f && text.Length > 0)
            {
                segments.Add(new LineSegment(text.ToString(), f, segmentX));
            }
            text.Clear();
        }
    }

    /// <summary>
    /// Breaks a word wider than the line. A single-face word such as an email address or a web address breaks before
    /// an "@" or after a ".", "-", "/" or "_" when one falls on the line, else between characters.
    /// </summary>
    private static IEnumerable<Word> BreakLongWord(Word word, double size, double width)
    {
        if (word.Pieces.Count == 1)
        {
            var (text, face) = word.Pieces[0];
            var start = 0;
            while (start < text.Length)
            {
                var end = start;
                double used = 0;
                while (end < text.Length)
                {
                    var w = DocumentFonts.Width(face, text.AsSpan(end, 1), size);
                    if (used + w > width)
                    {
                        break;
                    }
                    used += w;
                    end++;
                }
                end = Math.Max(end, start + 1);
                if (end < text.Length)
                {
                    for (var p = end; p > start + (end - start) / 2; p--)
                    {
                        if (text[p] == '@' || text[p - 1] is '.' or '-' or '/' or '_')
                        {
                            end = p;
                            break;
                        }
                    }
                }
                yield return new Word([new TextRun(text[start..end], face)], false);
                start = end;
            }
            yield break;
        }

        var part = new List<TextRun>();
        double partWidth = 0;
        foreach (var piece in word.Pieces)
        {
            var from = 0;
            for (var i = 0; i < piece.Text.Length; i++)
            {
                var w = DocumentFonts.Width(piece.Face, piece.Text.AsSpan(i, 1), size);
                if (partWidth + w > width && (partWidth > 0 || i > from))
                {
                    if (i > from)
                    {
                        part.Add(new TextRun(piece.Text[from..i], piece.Face));
                    }
                    yield return new Word(part, false);
                    part = [];
                    partWidth = 0;
                    from = i;
                }
                partWidth += w;
            }
            if (from < piece.Text.Length)
            {
                part.Add(new TextRun(piece.Text[from..], piece.Face));
            }
        }
        if (part.Count > 0)
        {
            yield return new Word(part, false);
        }
    }

    /// <summary>Splits runs into words; a word may span several runs when no space separates them.</summary>
    private static IEnumerable<Word> Words(IReadOnlyList<TextRun> runs)
    {
        var pieces = new List<TextRun>();
        var breakBefore = false;
        foreach (var run in runs)
        {
            var start = 0;
            for (var i = 0; i <= run.Text.Length; i++)
            {
                var atEnd = i == run.Text.Length;
                var c = atEnd ? '\0' : run.Text[i];
                if (!atEnd && c != ' ' && c != '\n')
                {
                    continue;
                }
                if (i > start)
                {
                    pieces.Add(new TextRun(run.Text[start..i], run.Face));
                }
                if (!atEnd)
                {
                    if (pieces.Count > 0)
                    {
                        yield return new Word(pieces, breakBefore);
                        pieces = [];
                        breakBefore = false;
                    }
                    breakBefore |= c == '\n';
                }
                start = i + 1;
            }
        }
        if (pieces.Count > 0)
        {
            yield return new Word(pieces, breakBefore);
        }
    }

    private sealed record Word(List<TextRun> Pieces, bool BreakBefore)
    {
        public double Width(double size)
        {
            double total = 0;
            foreach (var piece in Pieces)
            {
                total += DocumentFonts.Width(piece.Face, piece.Text, size);
            }
            return total;
        }
    }
}
