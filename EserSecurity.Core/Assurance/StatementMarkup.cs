namespace EserSecurity.Core.Assurance;

public enum StatementBlockKind
{
    Heading,
    Paragraph,
    List,
}

/// <summary>
/// One block of a statement's text: a heading or a paragraph (<see cref="Text"/>), or a bulleted list
/// (<see cref="Items"/>, empty for the others).
/// </summary>
public sealed record StatementBlock(StatementBlockKind Kind, string Text, IReadOnlyList<string> Items)
{
    public static StatementBlock Heading(string text) => new(StatementBlockKind.Heading, text, []);

    public static StatementBlock Paragraph(string text) => new(StatementBlockKind.Paragraph, text, []);

    public static StatementBlock List(IReadOnlyList<string> items) => new(StatementBlockKind.List, "", items);
}

/// <summary>
/// The statement body's plain-text syntax, shared by the signing page and the signed PDF: a line starting with
/// "# " is a heading, consecutive lines starting with "- " form a list, and other lines form paragraphs, which a
/// blank line, a heading or a list ends (lines of one paragraph join with a space). Nothing else is markup, so a
/// statement prints exactly the words it was signed with.
/// </summary>
public static class StatementMarkup
{
    public static IReadOnlyList<StatementBlock> Parse(string body)
    {
        var blocks = new List<StatementBlock>();
        var paragraph = new List<string>();
        var items = new List<string>();
        foreach (var raw in body.ReplaceLineEndings("\n").Split('\n'))
        {
            var line = raw.Trim();
            if (line.StartsWith("# ", StringComparison.Ordinal))
            {
                Flush();
                blocks.Add(StatementBlock.Heading(line[2..].Trim()));
            }
            else if (line.StartsWith("- ", StringComparison.Ordinal))
            {
                FlushParagraph();
                items.Add(line[2..].Trim());
            }
            else if (line.Length == 0)
            {
                Flush();
            }
            else
            {
                FlushList();
                paragraph.Add(line);
            }
        }
        Flush();
        return blocks;

        void Flush()
        {
            FlushParagraph();
            FlushList();
        }

        void FlushParagraph()
        {
            if (paragraph.Count > 0)
            {
                blocks.Add(StatementBlock.Paragraph(string.Join(' ', paragraph)));
                paragraph.Clear();
            }
        }

        void FlushList()
        {
            if (items.Count > 0)
            {
                blocks.Add(StatementBlock.List(items.ToList()));
                items.Clear();
            }
        }
    }

    /// <summary>The acknowledgements of a statement, one a line, without blank lines.</summary>
    public static IReadOnlyList<string> Acknowledgements(string acknowledgements) =>
        acknowledgements.ReplaceLineEndings("\n").Split('\n', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries);
}
