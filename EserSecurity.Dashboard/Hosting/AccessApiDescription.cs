using Microsoft.OpenApi;
using Scalar.AspNetCore;

namespace EserSecurity.Dashboard.Hosting;

/// <summary>
/// The access API's OpenAPI document (<c>/openapi/v1.json</c>, anonymous: it describes the contract, no data) and, in
/// Development, a readable reference page at <c>/api/reference</c>.
/// </summary>
public static class AccessApiDescription
{
    public const string DocumentPath = "/openapi/v1.json";
    public const string ReferencePath = "/api/reference";
    private const string BearerScheme = "Bearer";

    internal static IHostApplicationBuilder AddAccessApiDescription(this IHostApplicationBuilder builder)
    {
        builder.Services.AddOpenApi("v1", options =>
        {
            // Only the API is described; the console's pages and downloads are not part of the contract.
            options.ShouldInclude = description => description.RelativePath?.StartsWith("api/v1/", StringComparison.Ordinal) == true;
            options.AddDocumentTransformer((document, _, _) =>
            {
                document.Info = new OpenApiInfo
                {
                    Title = "EserSecurity access API",
                    Version = "v1",
                    Description =
                        "Who may enter eSER: each person's current access decision and every change to anyone's decision, for the applications " +
                        "that enforce access. Authenticate with an OAuth 2.0 bearer token from the state's sign-on provider (client credentials) " +
                        "whose audience is this API; the client must be registered in the console with the scope each call needs.",
                };
                document.Components ??= new OpenApiComponents();
                document.Components.SecuritySchemes ??= new Dictionary<string, IOpenApiSecurityScheme>();
                document.Components.SecuritySchemes[BearerScheme] = new OpenApiSecurityScheme
                {
                    Type = SecuritySchemeType.Http,
                    Scheme = "bearer",
                    BearerFormat = "JWT",
                    Description = "An access token from the sign-on provider (client credentials grant), naming this API as audience, with the scope access.read or changes.read.",
                };
                document.Security = [new OpenApiSecurityRequirement { [new OpenApiSecuritySchemeReference(BearerScheme, document)] = [] }];
                return Task.CompletedTask;
            });
        });
        return builder;
    }

    public static WebApplication MapAccessApiDescription(this WebApplication app)
    {
        app.MapOpenApi(DocumentPath).AllowAnonymous();
        if (app.Environment.IsDevelopment())
        {
            app.MapScalarApiReference(ReferencePath, options => options.WithTitle("EserSecurity access API").WithOpenApiRoutePattern(DocumentPath)).AllowAnonymous();
        }
        return app;
    }
}
