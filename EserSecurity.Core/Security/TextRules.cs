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
    public static string? NameProblem(string? value, string what) => value is not null ? Problem(value, UnsafeIndex(value), what) : null;

    /// <summary>
    /// The index of the first character free prose (a reason, a note, a justification) may not hold, or -1: as for a
    /// name, except that tabs and line breaks (CR, LF) are part of prose.
    /// </summary>
    public static int ProseUnsafeIndex(ReadOnlySpan<char> value)
    {
        for (var i = 0; i < value.Length; i++)
        {
            if (IsUnsafe(value[i]) && value[i] is not ('\t' or '\n' or '\r'))
            {
                return i;
            }
        }
        return -1;
    }

    /// <summary>
    /// Why <paramref name="value"/> cannot be kept as prose (<paramref name="what"/>, as "the reason"), or null: longer
    /// than <paramref name="maxLength"/> characters, or holding a character <see cref="ProseUnsafeIndex"/> finds.
    /// </summary>
    public static string? ProseProblem(string? value, string what, int maxLength) => value switch
    {
        null => null,
        { Length: var length } when length > maxLength =>
            $"{Capitalised(what)} is {length.ToString("N0", CultureInfo.InvariantCulture)} characters; keep it to {maxLength.ToString("N0", CultureInfo.InvariantCulture)}.",
        _ => Problem(value, ProseUnsafeIndex(value), what),
    };

    /// <summary>
    /// <paramref name="value"/> without the characters a name may not hold: for names the console shows but does not
    /// own (a sign-on provider's display name), where refusing would lock the person out.
    /// </summary>
    public static string WithoutUnsafe(string value) =>
        UnsafeIndex(value) < 0 ? value : string.Concat(value.Where(c => !IsUnsafe(c)));

    private static string? Problem(string value, int index, string what) => index < 0
        ? null
        : $"{Capitalised(what)} holds an invisible control or text-direction character "
          + $"(U+{((int)value[index]).ToString("X4", CultureInfo.InvariantCulture)}); type it again without that character.";

    private static string Capitalised(string what) => $"{char.ToUpperInvariant(what[0])}{what[1..]}";

    private static bool IsUnsafe(char c) => char.IsControl(c) || c is >= '\u202A' and <= '\u202E' or >= '\u2066' and <= '\u2069';
}
