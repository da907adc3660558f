namespace EserSecurity.Core.Assurance;

/// <summary>
/// A statement or a signature cannot be made or changed as asked; the message says why and is safe to show.
/// When the refusal is a second signature in the same school year, <see cref="ExistingSignature"/> is the one that stands.
/// </summary>
public sealed class AssuranceRefusedException(string message, OwnSignature? existingSignature = null) : Exception(message)
{
    public OwnSignature? ExistingSignature { get; } = existingSignature;
}
