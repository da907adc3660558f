using EserSecurity.Core.Data;

namespace EserSecurity.Dashboard.Hosting;

/// <summary>
/// A download whose database stayed busy past <c>Database:CommandTimeout</c> (Core's <see cref="DatabaseBusy"/>) answers
/// 503 with <c>Retry-After</c> and the message the pages show, instead of an error: nothing was written, so trying again
/// is safe.
/// </summary>
public static class DatabaseBusyEndpointFilter
{
    /// <summary>How long the client is asked to wait before trying again.</summary>
    public const int RetryAfterSeconds = 5;

    public static TBuilder AnswerBusyDatabaseWith503<TBuilder>(this TBuilder builder) where TBuilder : IEndpointConventionBuilder =>
        builder.AddEndpointFilter(async (context, next) =>
        {
            try
            {
                return await next(context);
            }
            catch (Exception ex) when (DatabaseBusy.Is(ex))
            {
                context.HttpContext.Response.Headers.RetryAfter = RetryAfterSeconds.ToString(System.Globalization.CultureInfo.InvariantCulture);
                return Results.Problem(DatabaseBusy.Message, statusCode: StatusCodes.Status503ServiceUnavailable);
            }
        });
}
