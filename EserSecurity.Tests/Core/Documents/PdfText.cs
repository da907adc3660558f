using System.Text;
using UglyToad.PdfPig;
using UglyToad.PdfPig.Content;

namespace EserSecurity.Tests.Core.Documents;

/// <summary>
/// Reads a PDF back with PdfPig in drawing order: the text of each draw call, separated by one space unless the
/// next call continues the same line right where the last one ended (a bold word inside a sentence). Drawing order
/// keeps a wrapped table cell together, where PdfPig's own word order reads across the row line by line.
/// </summary>
internal static class PdfText
{
    public static IReadOnlyList<string> Pages(byte[] pdf)
    {
        using var document = PdfDocument.Open(pdf);
        return document.GetPages().Select(Text).ToList();
    }

    public static string All(byte[] pdf) => string.Join(" ", Pages(pdf));

    public static int PageCount(byte[] pdf)
    {
        using var document = PdfDocument.Open(pdf);
        return document.NumberOfPages;
    }

    private static string Text(Page page)
    {
        var text = new StringBuilder();
        Letter? previous = null;
        foreach (var letter in page.Letters)
        {
            if (previous is not null && letter.TextSequence != previous.TextSequence && !Continues(previous, letter)
                && text[^1] != ' ' && letter.Value != " ")
            {
                text.Append(' ');
            }
            text.Append(letter.Value);
            previous = letter;
        }
        return string.Join(' ', text.ToString().Split(' ', StringSplitOptions.RemoveEmptyEntries));
    }

    private static bool Continues(Letter previous, Letter next) =>
        Math.Abs(previous.StartBaseLine.Y - next.StartBaseLine.Y) < 0.5 && Math.Abs(previous.EndBaseLine.X - next.StartBaseLine.X) < 0.5;
}
