using EserSecurity.Core.Readiness;
using Microsoft.AspNetCore.Mvc;

namespace EserSecurity.Dashboard.Hosting;

/// <summary>The readiness drill-down as CSV. Each request resolves the signed-in person and Core checks their scope itself.</summary>
public static class ReadinessEndpoints
{
    public static WebApplication MapReadinessEndpoints(this WebApplication app)
    {
        app.MapGet("/readiness/files/not-ready/{schoolSystemId:int}", (int schoolSystemId, int? schoolId, HttpContext context,
            [FromServices] SignedInPeople people, [FromServices] ReadinessService readiness, CancellationToken ct) =>
            DocumentEndpoints.AsSignedInPersonAsync(context, people, "Choose one of your own school systems on the Go-live readiness page.",
                async caller =>
                {
                    var document = await readiness.ExportNotReadyCsvAsync(caller, schoolSystemId, schoolId, ct);
                    return Results.File(document.Content, document.ContentType, document.FileName);
                }, ct)).RequireAuthorization().AnswerBusyDatabaseWith503();
        return app;
    }
}
