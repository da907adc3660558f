using System.Security.Cryptography;
using System.Text;

namespace EserSecurity.Core.Assurance;

/// <summary>
/// The code printed on a signed statement: 20 characters of Crockford's base32 (100 random bits), shown in groups
/// of four, such as "7KQD-M2XA-9PHR-T4WE-0BNC". Crockford's alphabet leaves out I, L, O and U, so a code read
/// aloud or typed from paper survives the usual slips: <see cref="Normalize"/> ignores case, dashes and spaces and
/// reads I and L as 1 and O as 0.
/// </summary>
public static class VerificationCode
{
    public const string Alphabet = "0123456789ABCDEFGHJKMNPQRSTVWXYZ";

    /// <summary>Characters of a code, without its dashes.</summary>
    public const int Length = 20;

    /// <summary>Random bits in a code: 5 per character.</summary>
    public const int Bits = Length * 5;

    private const int GroupSize = 4;

    /// <summary>A new code from the operating system's cryptographic random number generator.</summary>
    public static string New()
    {
        Span<byte> random = stackalloc byte[Length];
        RandomNumberGenerator.Fill(random);
        return FromRandomBytes(random);
    }

    /// <summary>
    /// A code from <see cref="Length"/> uniformly random bytes, five bits of each (256 is a multiple of 32, so each
    /// character stays uniform). The demo state passes its seeded bytes here; everything else uses <see cref="New"/>.
    /// </summary>
    public static string FromRandomBytes(ReadOnlySpan<byte> random)
    {
        if (random.Length < Length)
        {
            throw new ArgumentException($"A verification code needs {Length} random bytes.", nameof(random));
        }
        Span<char> symbols = stackalloc char[Length];
        for (var i = 0; i < Length; i++)
        {
            symbols[i] = Alphabet[random[i] & 31];
        }
        return Format(symbols);
    }

    /// <summary>
    /// The code as stored and printed, from what someone typed or scanned; null when it cannot be a code. A full
    /// verification address ("…/verify/CODE") is accepted too, so a scanned QR code pasted whole still works.
    /// </summary>
    public static string? Normalize(string? input)
    {
        if (string.IsNullOrWhiteSpace(input))
        {
            return null;
        }
        var text = input.Trim();
        var slash = text.LastIndexOf('/');
        if (slash >= 0)
        {
            text = text[(slash + 1)..];
        }
        Span<char> symbols = stackalloc char[Length];
        var count = 0;
        foreach (var c in text)
        {
            if (c == '-' || char.IsWhiteSpace(c))
            {
                continue;
            }
            var symbol = char.ToUpperInvariant(c) switch
            {
                'O' => '0',
                'I' or 'L' => '1',
                var other => other,
            };
            if (count == Length || !Alphabet.Contains(symbol, StringComparison.Ordinal))
            {
                return null;
            }
            symbols[count++] = symbol;
        }
        return count == Length ? Format(symbols) : null;
    }

    private static string Format(ReadOnlySpan<char> symbols)
    {
        var code = new StringBuilder(Length + Length / GroupSize - 1);
        for (var i = 0; i < symbols.Length; i++)
        {
            if (i > 0 && i % GroupSize == 0)
            {
                code.Append('-');
            }
            code.Append(symbols[i]);
        }
        return code.ToString();
    }
}
