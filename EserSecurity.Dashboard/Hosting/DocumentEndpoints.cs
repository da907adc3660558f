using EserSecurity.Core.Documents;
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

    public static WebApplication MapDocumentEndpoints(this WebApplication app)
    {
        var documents = app.MapGroup("/documents/files").RequireAuthorization();
        documents.MapGet("/{kind}/{schoolSystemId:int}", async (string kind, int schoolSystemId, bool? inline, HttpContext context,
            [FromServices] SignedInPeople people, [FromServices] DocumentService service, CancellationToken ct) =>
        {
            var person = await people.ResolveAsync(context.User, ct);
            if (person is null)
            {
                return Results.Problem("Your sign-on account is not linked to a staff record.", statusCode: StatusCodes.Status403Forbidden);
            }
            var caller = person.ToCaller();
            try
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
                    : Results.File(document.Content, document.ContentType, inline == true ? null : document.FileName);
            }
            catch (ScopeDeniedException ex)
            {
                return Results.Problem(ex.Message + " Choose one of your own school systems on the Documents page.", statusCode: StatusCodes.Status403Forbidden);
            }
        });
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
}
