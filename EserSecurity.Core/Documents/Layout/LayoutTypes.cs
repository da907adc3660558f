namespace EserSecurity.Core.Documents.Layout;

/// <summary>What the PDF's document information says about it, and the day printed in its footer.</summary>
internal sealed record DocumentMetadata(
    string Title, string Subject, string Author, string Keywords, DateTimeOffset CreatedAt, DateOnly GeneratedOn);

/// <summary>
/// The title band across the top of the first page; later pages repeat the title in a small running header.
/// With <see cref="QrPayload"/>, a QR code sits at the band's right end with <see cref="QrCaption"/> (lines) beside it,
/// so a one-pager gains a QR code without giving up body space.
/// </summary>
internal sealed record TitleBand(string Eyebrow, string Title, string Subtitle, string? QrPayload = null, IReadOnlyList<string>? QrCaption = null);

internal enum ParagraphStyle
{
    Body,

    /// <summary>Slightly larger, for the opening sentence.</summary>
    Lead,

    /// <summary>Small and muted, for notes under a table.</summary>
    Note,
}

internal enum CalloutTone
{
    Info,
    Warning,
}

internal enum ColumnAlign
{
    Left,
    Center,
}

/// <summary>A table column: its header, its width (scaled with the others to the text column's width), alignment and weight.</summary>
internal sealed record TableColumn(string Header, double Weight, ColumnAlign Align = ColumnAlign.Left, bool Bold = false);
