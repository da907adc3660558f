using System.Globalization;

namespace EserSecurity.Core.Security;

/// <summary>
/// What a name may hold. A control character (C0, DEL, C1) or a bidirectional embedding, override or isolate
/// (U+202A–U+202E, U+2066–U+2069) is invisible on screen and in documents, yet it can make a name read as something it
/// is not ("Trojan Source") or break a CSV or PDF line. People, school, group and role names and titles refuse them;
/// letters of every script, accents, apostrophes and hyphens are welcome.
/// </summary>
public static class TextRules
{
    /// <summary>The index of the first character a name may not hold, or -1.</summary>
    public static int UnsafeIndex(ReadOnlySpan<char> value)
    {
        for (var i = 0; i < value.Length; i++)
        {
            if (IsUnsafe(value[i]))
            {
                return i;
            }
        }
        return -1;
    }

    /// <summary>
    /// Why <paramref name="value"/> cannot be a name (<paramref name="what"/>, as "the last name"), or null. The message
    /// names the character's code point, since it cannot be seen.
    /// </summary>
    public static string? NameProblem(string? value, string what) => value is not null && UnsafeIndex(value) is var i and >= 0
        ? $"{char.ToUpperInvariant(what[0])}{what[1..]} holds an invisible control or text-direction character "
          + $"(U+{((int)value[i]).ToString("X4", CultureInfo.InvariantCulture)}); type it again without that character."
        : null;

    /// <summary>
    /// <paramref name="value"/> without the characters a name may not hold: for names the console shows but does not
    /// own (a sign-on provider's display name), where refusing would lock the person out.
    /// </summary>
    public static string WithoutUnsafe(string value) =>
        UnsafeIndex(value) < 0 ? value : string.Concat(value.Where(c => !IsUnsafe(c)));

    private static bool IsUnsafe(char c) => char.IsControl(c) || c is >= '\u202A' and <= '\u202E' or >= '\u2066' and <= '\u2069';
}
