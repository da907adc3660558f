using EserSecurity.Core.Documents;
using EserSecurity.Core.Security;
using Microsoft.EntityFrameworkCore;

namespace EserSecurity.Core.Reviews;

public sealed partial class AccessReviewService
{
    /// <summary>The review report as a PDF. Anyone who sees the review's school system.</summary>
    public async Task<GeneratedDocument> ReportPdfAsync(Caller caller, int reviewId, CancellationToken ct = default)
    {
        var (header, rows) = await LoadReportAsync(caller, reviewId, "Access review report (PDF)", ct);
        var context = new RenderContext(clock.Today(), clock.GetUtcNow(), caller.DisplayName, null);
        return new GeneratedDocument(AccessReviewReport.FileName(header, "pdf"), GeneratedDocument.PdfContentType,
            AccessReviewReport.RenderPdf(header, rows, context));
    }

    /// <summary>The review report as CSV (RFC 4180, UTF-8): one line per reviewed grant with every decision.</summary>
    public async Task<GeneratedDocument> ReportCsvAsync(Caller caller, int reviewId, CancellationToken ct = default)
    {
        var (header, rows) = await LoadReportAsync(caller, reviewId, "Access review report (CSV)", ct);
        return new GeneratedDocument(AccessReviewReport.FileName(header, "csv"), GeneratedDocument.CsvContentType, AccessReviewReport.RenderCsv(rows));
    }

    private async Task<(AccessReviewReportHeader Header, IReadOnlyList<AccessReviewReportRow> Rows)> LoadReportAsync(
        Caller caller, int reviewId, string document, CancellationToken ct)
    {
        await ApplyDueDefaultsIfNeededAsync(ct);
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var scope = await scopes.GetScopeAsync(db, caller.StaffMemberId, ct);
        var header = await db.AccessReviews.AsNoTracking().Where(r => r.Id == reviewId)
            .Select(r => new
            {
                r.SchoolSystemId,
                Header = new AccessReviewReportHeader(r.SchoolSystem!.Code, r.SchoolSystem.Name, r.Kind, r.StartedAt,
                    db.StaffMembers.Where(s => s.Id == r.StartedById).Select(s => s.FirstName + " " + s.LastName).First(),
                    r.DueOn, r.Status, r.SignedOffAt,
                    db.StaffMembers.Where(s => s.Id == r.SignedOffById).Select(s => s.FirstName + " " + s.LastName).FirstOrDefault(),
                    r.SignedOffTypedName),
            })
            .SingleOrDefaultAsync(ct);
        if (header is null || !(scope.IsStateAdministrator || scope.CanViewSchoolSystem(header.SchoolSystemId)))
        {
            throw NotFound(scope);
        }
        var items = db.AccessReviewItems.AsNoTracking().Where(i => i.AccessReviewId == reviewId);
        if (scope.SchoolsListedIn(header.SchoolSystemId) is { } schools)
        {
            var schoolIds = schools.ToArray();
            items = items.Where(i => i.AccessGrant!.SchoolId != null && schoolIds.Contains(i.AccessGrant.SchoolId.Value));
        }
        var rows = await items
            .Select(i => new AccessReviewReportRow(
                i.AccessGrant!.StaffMember!.LastName, i.AccessGrant.StaffMember.FirstName, i.AccessGrant.StaffMember.StaffId,
                i.AccessGrant.StaffMember.Position, i.AccessGrant.EserRole!.Name,
                i.AccessGrant.School == null ? "Whole school system" : i.AccessGrant.School.Name,
                i.NeedsSupervisor,
                i.Decision,
                db.StaffMembers.Where(s => s.Id == i.DecidedById).Select(s => s.FirstName + " " + s.LastName).FirstOrDefault(),
                i.DecidedAt, i.Note,
                i.SupervisorDecision,
                db.StaffMembers.Where(s => s.Id == i.SupervisorDecidedById).Select(s => s.FirstName + " " + s.LastName).FirstOrDefault(),
                i.SupervisorDecidedAt, i.SupervisorNote,
                i.DefaultedAt != null))
            .ToListAsync(ct);
        // Sorted here, not in SQL: SQLite compares text byte by byte, which would put "de la Cruz" after "Zimmer".
        await scopes.Events.PersonalDataHandedOutAsync(caller, document, header.SchoolSystemId, rows.Select(r => r.StaffId).Distinct().Count(),
            $"review {reviewId}", ct);
        var byName = StringComparer.InvariantCultureIgnoreCase;
        return (header.Header, rows.OrderBy(r => r.LastName, byName).ThenBy(r => r.FirstName, byName).ThenBy(r => r.Role, byName).ToList());
    }
}
