using EserSecurity.Core.Documents.Layout;
using static EserSecurity.Core.Documents.Layout.Markup;

namespace EserSecurity.Core.Documents;

/// <summary>
/// The Gaining Access A–Z one-pager of one school system: a user's six steps from sign-on account to access on
/// go-live day, the coordinators who approve requests, and the key dates. Always one page.
/// </summary>
internal static class GainingAccessDocument
{
    public const string Title = "Gaining Access A–Z";

    private static readonly TableColumn[] Columns =
    [
        new("Name", 106, Bold: true),
        new("Covers", 224),
        new("Email", 182),
    ];

    public static byte[] Render(SchoolSystemSheet sheet, IReadOnlyList<KeyDateLine> keyDates, RenderContext context) =>
        ComposeOnOnePage(sheet, keyDates, context).Build();

    /// <summary>The one-pager laid out on its one page, not yet drawn or written.</summary>
    public static PdfComposer ComposeOnOnePage(SchoolSystemSheet sheet, IReadOnlyList<KeyDateLine> keyDates, RenderContext context)
    {
        var rows = sheet.DistrictCoordinators
            .Select(p => new ContactRow(ContactKind.District, [p.Name, $"District coordinator: {OnePagers.Covers(sheet).ToLowerInvariant()}", p.Email]))
            .Concat(sheet.LocalCoordinators.Select(l => new ContactRow(ContactKind.Local, [l.Person.Name, $"Local coordinator: {OnePagers.Covers(l)}", l.Person.Email])))
            .ToList();
        return OnePagers.ComposeOnOnePage(rows.Count, shown => Compose(sheet, keyDates, context, rows, shown));
    }

    private static PdfComposer Compose(
        SchoolSystemSheet sheet, IReadOnlyList<KeyDateLine> keyDates, RenderContext context, List<ContactRow> rows, int shown)
    {
        var composer = new PdfComposer(
            context.Metadata($"{Title} — {sheet.Code} {sheet.Name}",
                $"How staff of {sheet.Name} gain eSER access: sign-on account, Staff ID link, role request, approval, confidentiality assurance and access on go-live day.",
                OnePagers.Keywords(sheet)),
            OnePagers.Band(Title, sheet, context.Link("requests/new"), "Scan to request eSER access"));

        var (shownRows, omittedRows) = OnePagers.Take(rows, shown);
        var goLive = OnePagers.GoLive(keyDates, context.Today);
        var goLiveDay = goLive is null ? "go-live day" : Bold(DocumentDates.Long(goLive.On));
        composer.Paragraph(goLive is not null && goLive.On < context.Today
            ? $"Since {goLiveDay}, eSER is reached through EdLink Security, and only people with an approved eSER role can sign in. Staff of {Escape(sheet.Name)} gain access in six steps."
            : $"From {goLiveDay}, eSER is reached through EdLink Security, and only people with an approved eSER role can sign in. Staff of {Escape(sheet.Name)} take these six steps well before then.",
            ParagraphStyle.Lead);

        composer.Heading("Six steps to eSER access");
        var supervisor = sheet.Supervisors.Count > 0 ? $", {Escape(sheet.Supervisors[0].Name)}" : "";
        composer.Numbered(
        [
            "**Get a state sign-on (MyLA) account.** If you already use MyLA for another application — EdLink360, P-EBT or another school system — use that account; do not create a second one.",
            "**Link it to your eScholar Staff ID.** The console matches your MyLA account to your staff record when you first sign in; if it cannot be sure, your security coordinators confirm the link.",
            "**Request a role.** In the console choose **Request access**, pick the eSER role your work needs and the school (or the whole school system), and say why you need it.",
            $"**Coordinator approval.** A security coordinator of {Escape(sheet.Name)} reviews your request. Roles with IEP Forms access also need the special education supervisor's approval{supervisor}.",
            "**Sign the confidentiality assurance.** Read the current statement and sign it in the console. It is signed again every school year (July 1 – June 30).",
            $"**Access on go-live day.** On {goLiveDay}, eSER opens with the roles you were approved for. Follow **My requests** to see where yours stands.",
        ]);
        composer.Callout(
            goLive is null
                ? "Users without an approved role and permission in EdLink Security will not be able to access eSER on go-live day."
                : $"Users without an approved role and permission in EdLink Security will not be able to access eSER on {goLiveDay}.",
            CalloutTone.Warning, "No approved role, no access");

        composer.Heading("Who approves your request");
        if (rows.Count == 0)
        {
            composer.Paragraph($"{Escape(sheet.Name)} has not named its security coordinators yet. Ask your school office who will approve eSER requests.");
        }
        else
        {
            if (shownRows.Count > 0)
            {
                composer.Table(Columns, shownRows.Select(r => r.Cells));
            }
            var notes = new List<string>
            {
                "A request for a school goes to its local coordinator, if it has one, and to the district coordinators.",
            };
            if (OnePagers.Omitted(omittedRows) is { } more)
            {
                notes.Add($"{Bold(more)} — ask your school office who covers your school.");
            }
            foreach (var note in notes)
            {
                composer.Paragraph(note, ParagraphStyle.Note);
            }
        }

        composer.Heading("Key dates");
        OnePagers.KeyDates(composer, keyDates, context.Today);
        return composer;
    }
}
