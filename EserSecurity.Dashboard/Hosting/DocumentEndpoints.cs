using System.Globalization;
using EserSecurity.Core.Assurance;
using EserSecurity.Core.Audit;
using EserSecurity.Core.Documents;
using EserSecurity.Core.LocalDuties;
using EserSecurity.Core.Reviews;
using EserSecurity.Core.Security;
using Microsoft.AspNetCore.Mvc;

namespace EserSecurity.Dashboard.Hosting;

/// <summary>Document downloads. Each request resolves the signed-in person and Core checks their scope itself.</summary>
public static class DocumentEndpoints
{
    public static readonly IReadOnlyDictionary<string, string> Kinds = new Dictionary<string, string>
    {
        ["coordinator-setup"] = "Security Coordinator Setup one-pager",
        ["gaining-access"] = "Gaining Access A–Z one-pager",
        ["authorized-users"] = "Authorized-user list (PDF)",
        ["authorized-users-csv"] = "Authorized-user list (CSV)",
    };

    /// <summary>The signed confidentiality assurance statement (PDF) of one signature.</summary>
    public static string SignedStatementUrl(int signatureId) => $"documents/files/signed-statement/{signatureId}";

    /// <summary>A person's complete history, as PDF or as CSV (state administrators only; Core decides).</summary>
    public static string PersonHistoryUrl(int staffMemberId, PersonHistoryFormat format) =>
        $"documents/files/person-history/{staffMemberId}" + (format == PersonHistoryFormat.Csv ? "?format=csv" : "");

    /// <summary>The assurance status people list as CSV, with the status page's filters (as in its URL).</summary>
    public static string AssuranceStatusCsvUrl(string? status, int? schoolSystemId, int? schoolId, string? search)
    {
        var query = new Dictionary<string, string?> { ["status"] = status, ["lea"] = schoolSystemId?.ToString(), ["school"] = schoolId?.ToString(), ["search"] = search }
            .Where(p => !string.IsNullOrWhiteSpace(p.Value))
            .Select(p => $"{p.Key}={Uri.EscapeDataString(p.Value!)}");
        return "documents/files/assurance-status" + (query.Any() ? "?" + string.Join('&', query) : "");
    }

    /// <summary>
    /// The audit log's filters as the audit log page and its CSV export carry them in their URLs: <c>person</c>,
    /// <c>lea</c>, <c>show</c> (a kind's key, any case), <c>from</c> and <c>to</c> (yyyy-MM-dd) and <c>sort=oldest</c>.
    /// A value that does not parse is left out, on the page and in the export alike.
    /// </summary>
    public static AuditQuery AuditQueryOf(int? person, int? lea, string? show, string? from, string? to, string? sort) => new(
        person, lea, AuditSearch.Kinds.FirstOrDefault(k => string.Equals(k.Key, show, StringComparison.OrdinalIgnoreCase))?.Key,
        Day(from), Day(to), string.Equals(sort, "oldest", StringComparison.OrdinalIgnoreCase) ? AuditSort.OldestFirst : AuditSort.NewestFirst);

    /// <summary>A day as the audit log's URLs carry it.</summary>
    public static string UrlDay(DateOnly day) => day.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);

    /// <summary>The audit log as CSV, with the filters of the page's URL.</summary>
    public static string AuditLogCsvUrl(AuditQuery query)
    {
        var parts = new Dictionary<string, string?>
            {
                ["person"] = query.PersonId?.ToString(CultureInfo.InvariantCulture), ["lea"] = query.SchoolSystemId?.ToString(CultureInfo.InvariantCulture),
                ["show"] = query.Kind?.ToLowerInvariant(), ["from"] = query.From is { } f ? UrlDay(f) : null, ["to"] = query.To is { } t ? UrlDay(t) : null,
                ["sort"] = query.Sort == AuditSort.OldestFirst ? "oldest" : null,
            }
            .Where(p => p.Value is not null)
            .Select(p => $"{p.Key}={Uri.EscapeDataString(p.Value!)}");
        return "documents/files/audit-log" + (parts.Any() ? "?" + string.Join('&', parts) : "");
    }

    private static DateOnly? Day(string? text) =>
        DateOnly.TryParseExact(text, "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out var day) ? day : null;

    public static WebApplication MapDocumentEndpoints(this WebApplication app)
    {
        var documents = app.MapGroup("/documents/files").RequireAuthorization().FramedBySelfOnly().AnswerBusyDatabaseWith503();
        documents.MapGet("/{kind}/{schoolSystemId:int}", (string kind, int schoolSystemId, bool? inline, HttpContext context,
            [FromServices] SignedInPeople people, [FromServices] DocumentService service, CancellationToken ct) =>
            AsSignedInPersonAsync(context, people, "Choose one of your own school systems on the Documents page.", async caller =>
            {
                var document = kind switch
                {
                    "coordinator-setup" => await service.CoordinatorSetupAsync(caller, schoolSystemId, ct),
                    "gaining-access" => await service.GainingAccessAsync(caller, schoolSystemId, ct),
                    "authorized-users" => await service.AuthorizedUserListPdfAsync(caller, schoolSystemId, ct),
                    "authorized-users-csv" => await service.AuthorizedUserListCsvAsync(caller, schoolSystemId, ct),
                    _ => null,
                };
                return document is null
                    ? Results.Problem($"There is no document called '{kind}'. Choose one on the Documents page.", statusCode: StatusCodes.Status404NotFound)
                    : File(document, inline);
            }, ct));
        documents.MapGet("/signed-statement/{signatureId:int}", (int signatureId, bool? inline, HttpContext context,
            [FromServices] SignedInPeople people, [FromServices] DocumentService service, CancellationToken ct) =>
            AsSignedInPersonAsync(context, people,
                "Your own signed statements are on the Confidentiality assurance page; coordinators find their people's on the Assurance status page.",
                async caller => File(await service.SignedStatementAsync(caller, signatureId, ct), inline), ct));
        documents.MapGet("/assurance-status", (string? status, int? lea, int? school, string? search, HttpContext context,
            [FromServices] SignedInPeople people, [FromServices] AssuranceStatusService service, CancellationToken ct) =>
            AsSignedInPersonAsync(context, people, "Open the Assurance status page and choose from your own school systems and schools.", async caller =>
            {
                var query = new AssurancePeopleQuery(Enum.TryParse<AssuranceStatus>(status, true, out var s) ? s : null, lea, school, search);
                return File(await service.ExportCsvAsync(caller, query, ct), inline: false);
            }, ct));
        documents.MapGet("/audit-log", (int? person, int? lea, string? show, string? from, string? to, string? sort, HttpContext context,
            [FromServices] SignedInPeople people, [FromServices] AuditSearch service, CancellationToken ct) =>
            AsSignedInPersonAsync(context, people, "Open the Audit log page and choose from your own school systems and people.", async caller =>
            {
                try
                {
                    return File(await service.ExportCsvAsync(caller, AuditQueryOf(person, lea, show, from, to, sort), ct), inline: false);
                }
                catch (AuditExportTooLargeException ex)
                {
                    return Results.Problem(ex.Message, statusCode: StatusCodes.Status422UnprocessableEntity);
                }
            }, ct));
        documents.MapGet("/access-review/{reviewId:int}", (int reviewId, string? format, bool? inline, HttpContext context,
            [FromServices] SignedInPeople people, [FromServices] AccessReviewService reviews, CancellationToken ct) =>
            AsSignedInPersonAsync(context, people, "Open one of your own school systems' reviews on the Access reviews page.", async caller =>
                File(format == "csv" ? await reviews.ReportCsvAsync(caller, reviewId, ct) : await reviews.ReportPdfAsync(caller, reviewId, ct), inline), ct));
        documents.MapGet("/person-history/{staffMemberId:int}", (int staffMemberId, string? format, bool? inline, HttpContext context,
            [FromServices] SignedInPeople people, [FromServices] PersonHistory histories, CancellationToken ct) =>
            AsSignedInPersonAsync(context, people, "Open the person's page as a state administrator.", async caller =>
                File(await histories.RetrieveAsync(caller, staffMemberId,
                    string.Equals(format, "csv", StringComparison.OrdinalIgnoreCase) ? PersonHistoryFormat.Csv : PersonHistoryFormat.Pdf, ct), inline), ct));
        documents.MapGet("/local-policy/{schoolSystemId:int}", (int schoolSystemId, HttpContext context,
            [FromServices] SignedInPeople people, [FromServices] LocalDutiesService service, CancellationToken ct) =>
            AsSignedInPersonAsync(context, people, "Open one of your own school systems' local duties.", async caller =>
            {
                try
                {
                    return File(await service.GetPolicyDocumentAsync(caller, schoolSystemId, ct), inline: false);
                }
                catch (LocalDutiesRefusedException ex)
                {
                    return Results.Problem(ex.Message, statusCode: StatusCodes.Status404NotFound);
                }
            }, ct));
        documents.MapGet("/prepared/{token}", async (string token, HttpContext context, [FromServices] SignedInPeople people,
            [FromServices] PreparedDownloads prepared, CancellationToken ct) =>
        {
            var person = await people.ResolveAsync(context.User, ct);
            var file = person is null ? null : prepared.Take(token, person.StaffMemberId);
            return file is null
                ? Results.Problem("That download has expired or is not yours. Prepare it again on the Documents page.", statusCode: StatusCodes.Status404NotFound)
                : Results.File(file.Content, file.ContentType, file.FileName);
        });
        return app;
    }

    /// <summary>
    /// Runs the action as the signed-in person: 403 when the account is not linked to a staff record, 429 when the
    /// person has reached Core's <see cref="DocumentGenerationLimit"/>, and 403 with where to go instead when Core
    /// refuses it as outside their scope.
    /// </summary>
    internal static async Task<IResult> AsSignedInPersonAsync(HttpContext context, SignedInPeople people, string whereInstead,
        Func<Caller, Task<IResult>> action, CancellationToken ct)
    {
        var person = await people.ResolveAsync(context.User, ct);
        if (person is null)
        {
            return Results.Problem("Your sign-on account is not linked to a staff record.", statusCode: StatusCodes.Status403Forbidden);
        }
        if (!context.RequestServices.GetRequiredService<DocumentGenerationLimit>().TryStart(person.StaffMemberId, out var retryAfter))
        {
            context.Response.Headers.RetryAfter = Math.Max(1, (int)Math.Ceiling(retryAfter.TotalSeconds)).ToString(System.Globalization.CultureInfo.InvariantCulture);
            return Results.Problem(DocumentGenerationLimit.RefusalMessage(retryAfter), statusCode: StatusCodes.Status429TooManyRequests);
        }
        try
        {
            return await action(person.ToCaller());
        }
        catch (ScopeDeniedException ex)
        {
            return Results.Problem($"{ex.Message} {whereInstead}", statusCode: StatusCodes.Status403Forbidden);
        }
    }

    private static IResult File(GeneratedDocument document, bool? inline) =>
        Results.File(document.Content, document.ContentType, inline == true ? null : document.FileName);
}
