using System.Text;

namespace EserSecurity.Core.Documents.Layout;

/// <summary>A piece of text in one face.</summary>
internal readonly record struct TextRun(string Text, FontFace Face);

/// <summary>
/// The one inline markup documents use: <c>**bold**</c>. A backslash takes the next character literally, so data
/// put into markup goes through <see cref="Escape"/> and can never switch bold on or off.
/// </summary>
internal static class Markup
{
    public static IReadOnlyList<TextRun> Parse(string markup, FontFace baseFace = FontFace.Regular)
    {
        var runs = new List<TextRun>();
        var text = new StringBuilder();
        var bold = false;
        for (var i = 0; i < markup.Length; i++)
        {
            var c = markup[i];
            if (c == '\\' && i + 1 < markup.Length)
            {
                text.Append(markup[++i]);
            }
            else if (c == '*' && i + 1 < markup.Length && markup[i + 1] == '*')
            {
                Flush();
                bold = !bold;
                i++;
            }
            else
            {
                text.Append(c);
            }
        }
        Flush();
        return runs;

        void Flush()
        {
            if (text.Length > 0)
            {
                runs.Add(new TextRun(text.ToString(), bold ? FontFace.Bold : baseFace));
                text.Clear();
            }
        }
    }

    /// <summary>Makes <paramref name="text"/> safe to place inside markup: it prints exactly as given.</summary>
    public static string Escape(string text) =>
        text.Contains('\\') || text.Contains('*') ? text.Replace("\\", "\\\\").Replace("*", "\\*") : text;

    /// <summary>Bold, escaped.</summary>
    public static string Bold(string text) => $"**{Escape(text)}**";
}
