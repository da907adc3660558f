using EserSecurity.Core.Assurance;
using EserSecurity.Core.Documents.Layout;
using static EserSecurity.Core.Documents.Layout.Markup;

namespace EserSecurity.Core.Documents;

/// <summary>What a signed confidentiality assurance statement prints: the statement as signed and the signature's record.</summary>
internal sealed record SignedStatementSheet(
    string SignerName,
    string StaffId,
    string SchoolSystemName,
    SchoolYear Year,
    DateTimeOffset SignedAt,
    string TypedName,
    int VersionNumber,
    DateTimeOffset? PublishedAt,
    string Title,
    string Body,
    IReadOnlyList<string> Acknowledgements,
    string TextHash,
    string VerificationCode);

/// <summary>
/// The signed confidentiality assurance statement: the statement's text (headings, paragraphs and lists), the
/// acknowledgements ticked, who signed when, and the verification code — with a QR code to the console's
/// verification page when the console's address is configured. Statement text is escaped, so it prints verbatim.
/// </summary>
internal static class SignedStatementDocument
{
    public const string Title = "Confidentiality Assurance";

    public static string FileName(SignedStatementSheet sheet) =>
        $"confidentiality-assurance-{sheet.Year.StartYear}-{(sheet.Year.StartYear + 1) % 100:00}-{sheet.StaffId}.pdf";

    public static byte[] Render(SignedStatementSheet sheet, RenderContext context)
    {
        var signedOn = DateOnly.FromDateTime(sheet.SignedAt.UtcDateTime);
        var signedAt = $"{DocumentDates.Long(signedOn)}, {DocumentDates.Time(TimeOnly.FromDateTime(sheet.SignedAt.UtcDateTime))} UTC";
        var composer = new PdfComposer(
            context.Metadata($"{Title} {sheet.Year.Label} — {sheet.SignerName}",
                $"The confidentiality assurance statement for the {sheet.Year.Label} school year, signed by {sheet.SignerName} ({sheet.SchoolSystemName}) on {DocumentDates.Long(signedOn)}.",
                $"eSER; confidentiality assurance; {sheet.Year.Label}; {sheet.StaffId}; {sheet.VerificationCode}"),
            new TitleBand(OnePagers.Eyebrow, Title, $"{sheet.Year.Label} · signed by {sheet.SignerName} · {sheet.SchoolSystemName}"));

        composer.Paragraph(
            $"{Bold(sheet.SignerName)} signed the {Escape(sheet.Year.Label)} confidentiality assurance statement below on {Escape(signedAt)}.",
            ParagraphStyle.Lead);

        composer.Heading(sheet.Title);
        foreach (var block in StatementMarkup.Parse(sheet.Body))
        {
            switch (block.Kind)
            {
                case StatementBlockKind.Heading:
                    composer.Heading(block.Text);
                    break;
                case StatementBlockKind.List:
                    composer.Bullets(block.Items.Select(Escape));
                    break;
                default:
                    composer.Paragraph(Escape(block.Text));
                    break;
            }
        }

        composer.Heading("Acknowledgements");
        composer.Checklist(sheet.Acknowledgements.Select(Escape));

        composer.Heading("Signature");
        var published = sheet.PublishedAt is { } at ? $", published {DocumentDates.Long(DateOnly.FromDateTime(at.UtcDateTime))}" : "";
        composer.Callout(string.Join('\n',
            $"Signer: {Bold(sheet.SignerName)}",
            $"Staff ID: {Escape(sheet.StaffId)}",
            $"School system: {Escape(sheet.SchoolSystemName)}",
            $"School year: {Escape(sheet.Year.Label)}",
            $"Signed at: {Escape(signedAt)}",
            $"Typed name: {Escape(sheet.TypedName)}",
            $"Statement version: {sheet.VersionNumber}{published}",
            $"Text fingerprint (SHA-256): {sheet.TextHash}",
            $"Verification code: {Bold(sheet.VerificationCode)}"),
            CalloutTone.Info, "Signed electronically in the eSER Access Security console");

        var link = context.Link($"verify/{sheet.VerificationCode}");
        if (link is null)
        {
            composer.Paragraph(
                $"To check this statement, open the Verify page of the eSER Access Security console and enter the code {Bold(sheet.VerificationCode)}.",
                ParagraphStyle.Note);
        }
        else
        {
            composer.QrCode(link,
                $"**Verify this statement.** Scan the code or open {Escape(link)} to see whether it is current, superseded by a corrected version, or unknown.");
        }
        return composer.Build();
    }
}
