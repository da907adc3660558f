using EserSecurity.Core.Readiness;
using EserSecurity.Core.Security;
using Microsoft.AspNetCore.Mvc;

namespace EserSecurity.Dashboard.Hosting;

/// <summary>The readiness drill-down as CSV. Each request resolves the signed-in person and Core checks their scope itself.</summary>
public static class ReadinessEndpoints
{
    public static WebApplication MapReadinessEndpoints(this WebApplication app)
    {
        app.MapGet("/readiness/files/not-ready/{schoolSystemId:int}", async (int schoolSystemId, int? schoolId, HttpContext context,
            [FromServices] SignedInPeople people, [FromServices] ReadinessService readiness, CancellationToken ct) =>
        {
            var person = await people.ResolveAsync(context.User, ct);
            if (person is null)
            {
                return Results.Problem("Your sign-on account is not linked to a staff record.", statusCode: StatusCodes.Status403Forbidden);
            }
            try
            {
                var document = await readiness.ExportNotReadyCsvAsync(person.ToCaller(), schoolSystemId, schoolId, ct);
                return Results.File(document.Content, document.ContentType, document.FileName);
            }
            catch (ScopeDeniedException ex)
            {
                return Results.Problem(ex.Message + " Choose one of your own school systems on the Go-live readiness page.", statusCode: StatusCodes.Status403Forbidden);
            }
        }).RequireAuthorization();
        return app;
    }
}
