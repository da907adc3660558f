using System.Text;
using EserSecurity.Core.Assurance;
using EserSecurity.Core.Data;
using EserSecurity.Core.Documents.Layout;
using EserSecurity.Core.Staff;
using Microsoft.EntityFrameworkCore;
using static EserSecurity.Core.Documents.Layout.Markup;

namespace EserSecurity.Core.Documents;

/// <summary>One active grant on the authorized-user list.</summary>
internal sealed record AuthorizedUserRow(
    string LastName, string FirstName, string StaffId, string Position, string Role, string? SchoolName, string? SiteCode,
    DateOnly GrantedOn, bool IepForms, IepFormsStanding IepFormsStanding = IepFormsStanding.InForce)
{
    public const string WholeSchoolSystem = "Whole school system";

    /// <summary>The IEP Forms cell: no, yes, or how a grant of a holder who has not signed the assurance is marked.</summary>
    public string IepFormsText => !IepForms ? "No" : IepFormsStanding switch
    {
        IepFormsStanding.Suspended => "Suspended",
        IepFormsStanding.Flagged => "Yes, unsigned",
        _ => "Yes",
    };

    public string Name => $"{LastName}, {FirstName}";

    public string Scope => SchoolName ?? WholeSchoolSystem;
}

/// <summary>
/// The authorized-user list of one school system: the current listing of names and positions of everyone with an
/// active eSER grant, one row per grant, sorted by name — as a paginated PDF and as CSV.
/// </summary>
internal static class AuthorizedUserList
{
    public const string Title = "Authorized eSER Users";

    // Widths in points of the 512-point text column: one line for a date, most names, positions and roles.
    private static readonly TableColumn[] Columns =
    [
        new("Name", 96, Bold: true),
        new("Position", 101),
        new("Role", 95),
        new("School", 104),
        new("Granted on", 64),
        new("IEP Forms", 52, ColumnAlign.Center),
    ];

    private static readonly string[] CsvHeader =
        ["Last name", "First name", "Staff ID", "Position", "Role", "School", "Site code", "Granted on", "IEP Forms"];

    public static async Task<IReadOnlyList<AuthorizedUserRow>> LoadAsync(
        EserSecurityDbContext db, int schoolSystemId, IReadOnlySet<int>? onlySchoolIds, DateOnly today, AssuranceOptions assurance, CancellationToken ct)
    {
        var year = SchoolYear.Containing(today).StartYear;
        var query = db.AccessGrants.AsNoTracking()
            .Where(g => g.SchoolSystemId == schoolSystemId && g.EndedAt == null && g.StaffMember!.EmploymentStatus != EmploymentStatus.Ended);
        if (onlySchoolIds is not null)
        {
            var schoolIds = onlySchoolIds.ToArray();
            query = query.Where(g => g.SchoolId != null && schoolIds.Contains(g.SchoolId.Value));
        }
        var grants = await query
            .Select(g => new
            {
                g.StaffMember!.LastName,
                g.StaffMember.FirstName,
                g.StaffMember.StaffId,
                g.StaffMember.Position,
                Role = g.EserRole!.Name,
                g.EserRole.GrantsIepForms,
                SchoolName = g.School == null ? null : g.School.Name,
                SiteCode = g.School == null ? null : g.School.SiteCode,
                g.GrantedAt,
                Signed = db.AssuranceSignatures.Any(a => a.StaffMemberId == g.StaffMemberId && a.SchoolYear == year),
            })
            .ToListAsync(ct);
        // Sorted here, not in SQL: SQLite compares text byte by byte, which would put "de la Cruz" after "Zimmer".
        var byName = StringComparer.InvariantCultureIgnoreCase;
        return grants
            .Select(g => new AuthorizedUserRow(g.LastName, g.FirstName, g.StaffId, g.Position, g.Role, g.SchoolName, g.SiteCode,
                DateOnly.FromDateTime(g.GrantedAt.UtcDateTime), g.GrantsIepForms,
                AssuranceRules.IepFormsStandingOn(today, g.GrantsIepForms, g.Signed, assurance.GraceDays, assurance.UnsignedIepForms)))
            .OrderBy(r => r.LastName, byName).ThenBy(r => r.FirstName, byName).ThenBy(r => r.StaffId, StringComparer.Ordinal)
            .ThenBy(r => r.Role, byName).ThenBy(r => r.SchoolName is not null).ThenBy(r => r.SchoolName, byName)
            .ToList();
    }

    public static byte[] RenderPdf(string code, string name, IReadOnlyList<AuthorizedUserRow> rows, RenderContext context)
    {
        var people = rows.Select(r => r.StaffId).Distinct().Count();
        var asOf = DocumentDates.Long(context.Today);
        var composer = new PdfComposer(
            context.Metadata($"{Title} — {code} {name}",
                $"The current listing of names and positions of employees of {name} who may access students' personal information in eSER, as of {asOf}.",
                $"eSER; EdLink Security; authorized users; {code}; {name}"),
            new TitleBand(OnePagers.Eyebrow, Title, $"{code} · {name} · as of {asOf}"));

        composer.Paragraph(
            $"The current listing of names and positions of the employees of {Escape(name)} who may access students' personal information in eSER, including eSER IEP Forms: one row for each active role, sorted by name.",
            ParagraphStyle.Lead);
        if (rows.Count == 0)
        {
            composer.Paragraph("Nobody holds an active eSER role in this school system.");
        }
        else
        {
            composer.Table(Columns, rows.Select(r => (IReadOnlyList<string>)
                [r.Name, r.Position, r.Role, r.Scope, DocumentDates.Short(r.GrantedOn), r.IepFormsText]));
        }
        var iep = rows.Count(r => r.IepForms);
        composer.Paragraph(
            $"**Total: {Count(rows.Count, "active role")} held by {Count(people, "person", "people")}**; {Count(iep, "role")} with IEP Forms access.");
        var suspended = rows.Count(r => r.IepFormsStanding == IepFormsStanding.Suspended);
        var flagged = rows.Count(r => r.IepFormsStanding == IepFormsStanding.Flagged);
        if (suspended + flagged > 0)
        {
            composer.Paragraph(suspended > 0
                ? $"**{Count(suspended, "IEP Forms role")} suspended**: the holder has not signed this school year's confidentiality assurance after the grace period; access resumes when they sign."
                : $"**{Count(flagged, "IEP Forms role")} marked “Yes, unsigned”**: the holder has not signed this school year's confidentiality assurance after the grace period.");
        }
        composer.Paragraph(
            "Coordinators keep this list current: remove access the day employment ends or duties change, and review it with the special education supervisor at each access review.",
            ParagraphStyle.Note);
        return composer.Build();
    }

    /// <summary>RFC 4180 CSV in UTF-8 with a byte-order mark (so spreadsheets read the accents), CRLF line ends.</summary>
    public static byte[] RenderCsv(IReadOnlyList<AuthorizedUserRow> rows)
    {
        var csv = new StringBuilder();
        Csv.AppendRecord(csv, CsvHeader);
        foreach (var r in rows)
        {
            Csv.AppendRecord(csv,
                [r.LastName, r.FirstName, r.StaffId, r.Position, r.Role, r.Scope, r.SiteCode ?? "", DocumentDates.Iso(r.GrantedOn), r.IepFormsText]);
        }
        return Csv.Encode(csv);
    }

    private static string Count(int count, string singular, string? plural = null) =>
        $"{count:N0} {(count == 1 ? singular : plural ?? singular + "s")}";
}
