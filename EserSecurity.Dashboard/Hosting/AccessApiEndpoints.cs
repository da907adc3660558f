using System.Diagnostics;
using EserSecurity.Core.Provisioning;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.Extensions.Options;

namespace EserSecurity.Dashboard.Hosting;

/// <summary>
/// The access API under <c>/api/v1</c>: a person's current decision and the change feed. Every call is authorized by
/// <see cref="AccessApiAuthentication"/>, rate-limited per client, and logged with the client id.
/// </summary>
public static partial class AccessApiEndpoints
{
    public const string Prefix = "/api/v1";

    public static WebApplication MapAccessApi(this WebApplication app)
    {
        if (!app.Services.GetRequiredService<IOptions<AccessApiOptions>>().Value.IsEnabled)
        {
            // Without an audience there is no API; a client learns why instead of being sent to the sign-in page.
            app.MapMethods(Prefix + "/{**rest}", ["GET", "POST", "PUT", "PATCH", "DELETE"], () => Results.Problem(
                "The access API is not enabled on this console. An operator enables it by setting Api:Audience (and, when the sign-in provider does not issue the tokens, Api:Authority).",
                statusCode: StatusCodes.Status404NotFound, title: "Access API not enabled")).AllowAnonymous().ExcludeFromDescription();
            return app;
        }
        var api = app.MapGroup(Prefix)
            .RequireAuthorization(AccessApiAuthentication.Policy)
            .RequireRateLimiting(AccessApiAuthentication.RateLimitPolicy)
            .AddEndpointFilter(LogAndAnswerRefusalsAsync)
            .AnswerBusyDatabaseWith503()
            .WithTags("Access")
            .ProducesProblem(StatusCodes.Status401Unauthorized)
            .ProducesProblem(StatusCodes.Status403Forbidden)
            .ProducesProblem(StatusCodes.Status429TooManyRequests)
            .ProducesProblem(StatusCodes.Status503ServiceUnavailable);

        api.MapGet("/people/{staffId}/access", async Task<Ok<AccessDecision>> (string staffId, HttpContext context, ApiCallers callers,
                AccessDecisionService decisions) =>
            TypedResults.Ok(await decisions.GetAsync(await callers.AuthorizeAsync(context, ApiScopes.AccessRead), staffId, context.RequestAborted)))
            .WithName("GetPersonAccess")
            .WithSummary("A person's current access decision")
            .WithDescription("Whether eSER admits the person today and why, their confidentiality assurance, and each active grant. Needs the access.read scope.")
            .ProducesProblem(StatusCodes.Status400BadRequest)
            .ProducesProblem(StatusCodes.Status404NotFound);

        api.MapGet("/access/changes", async Task<Ok<DecisionChangePage>> (HttpContext context, ApiCallers callers, AccessDecisionService decisions,
                long? after, int? limit) =>
            TypedResults.Ok(await decisions.ReadChangesAsync(await callers.AuthorizeAsync(context, ApiScopes.ChangesRead), after ?? 0,
                limit ?? AccessDecisionService.DefaultPageSize, context.RequestAborted)))
            .WithName("GetAccessChanges")
            .WithSummary("Every change to anyone's access decision, in commit order")
            .WithDescription("Pass the `next` of the previous page as `after` (0 or nothing for the beginning); `hasMore` says whether to ask again at once. " +
                "A client that follows the cursor sees every change exactly once. After any change, re-read that person's decision. Needs the changes.read scope.")
            .ProducesProblem(StatusCodes.Status400BadRequest);

        api.MapGet("/access/changes/latest", async Task<Ok<LatestCursor>> (HttpContext context, ApiCallers callers, AccessDecisionService decisions) =>
            TypedResults.Ok(new LatestCursor(await decisions.GetLatestCursorAsync(await callers.AuthorizeAsync(context, ApiScopes.ChangesRead), context.RequestAborted))))
            .WithName("GetLatestAccessChange")
            .WithSummary("The newest cursor")
            .WithDescription("Where a client that has just read everyone's decision starts following the feed. Needs the changes.read scope.");
        return app;
    }

    /// <summary>The cursor of the newest change.</summary>
    public sealed record LatestCursor(long Cursor);

    private static async ValueTask<object?> LogAndAnswerRefusalsAsync(EndpointFilterInvocationContext context, EndpointFilterDelegate next)
    {
        var http = context.HttpContext;
        var services = http.RequestServices;
        var logger = services.GetRequiredService<ILoggerFactory>().CreateLogger("EserSecurity.Api");
        var clientId = ApiCallers.ClientIdOf(http.User, services.GetRequiredService<IOptions<AccessApiOptions>>().Value) ?? "(none)";
        var started = Stopwatch.GetTimestamp();
        try
        {
            var result = await next(context);
            LogCall(logger, http.Request.Method, http.Request.Path, clientId, StatusCodes.Status200OK, Stopwatch.GetElapsedTime(started).TotalMilliseconds);
            return result;
        }
        catch (ApiRefusedException refused)
        {
            var status = refused.Refusal switch
            {
                ApiRefusal.NotFound => StatusCodes.Status404NotFound,
                ApiRefusal.BadRequest => StatusCodes.Status400BadRequest,
                _ => StatusCodes.Status403Forbidden,
            };
            if (refused.Refusal == ApiRefusal.MissingScope)
            {
                http.Response.Headers.WWWAuthenticate = "Bearer error=\"insufficient_scope\"";
            }
            LogCall(logger, http.Request.Method, http.Request.Path, clientId, status, Stopwatch.GetElapsedTime(started).TotalMilliseconds);
            if (status == StatusCodes.Status403Forbidden)
            {
                LogRefused(logger, clientId, refused.Message);
            }
            return Results.Problem(refused.Message, statusCode: status);
        }
    }

    [LoggerMessage(EventId = 7101, Level = LogLevel.Information, Message = "API {Method} {Path} by client {ClientId}: {Status} in {ElapsedMs:0.0} ms")]
    private static partial void LogCall(ILogger logger, string method, string path, string clientId, int status, double elapsedMs);

    [LoggerMessage(EventId = 7102, Level = LogLevel.Warning, Message = "API call refused for client {ClientId}: {Reason}")]
    private static partial void LogRefused(ILogger logger, string clientId, string reason);
}
