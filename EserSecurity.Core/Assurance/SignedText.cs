using System.Security.Cryptography;
using System.Text;

namespace EserSecurity.Core.Assurance;

/// <summary>
/// The exact text a person signs and its fingerprint. The canonical text is the statement's title, a blank line,
/// its body, a blank line, and its acknowledgements one a line — each exactly as stored (the statement service keeps
/// "\n" line ends and trims surrounding white space on saving). The fingerprint is the SHA-256 of its UTF-8 bytes, in
/// lower-case hex. Anyone holding a published version can recompute the fingerprint a signature recorded.
/// </summary>
public static class SignedText
{
    public static string Canonical(string title, string body, IEnumerable<string> acknowledgements) =>
        $"{title}\n\n{body}\n\n{string.Join('\n', acknowledgements)}";

    public static string Canonical(StatementVersion version) =>
        Canonical(version.Title, version.Body, StatementMarkup.Acknowledgements(version.Acknowledgements));

    /// <summary>Lower-case hex SHA-256 of the text's UTF-8 bytes: 64 characters.</summary>
    public static string Hash(string canonicalText) => Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(canonicalText)));

    public static string Hash(StatementVersion version) => Hash(Canonical(version));
}
