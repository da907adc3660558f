using System.Net;
using System.Net.Sockets;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;

namespace EserSecurity.Benchmarks.Api;

/// <summary>
/// A minimal token issuer on loopback for the API benchmark: a discovery document and a key set the console fetches as it
/// would from the sign-on provider, and RS256 access tokens signed with that key. The console validates them exactly as
/// real tokens (signature, issuer, audience, lifetime); only the issuing is simplified.
/// </summary>
internal sealed class TokenIssuer : IDisposable
{
    public const string Audience = "api://eser-security-benchmark";

    private readonly HttpListener _listener = new();
    private readonly RSA _key = RSA.Create(2048);
    private readonly string _keyId = Guid.NewGuid().ToString("N");
    private readonly CancellationTokenSource _stop = new();

    public TokenIssuer()
    {
        int port;
        using (var probe = new TcpListener(IPAddress.Loopback, 0))
        {
            probe.Start();
            port = ((IPEndPoint)probe.LocalEndpoint).Port;
        }
        Authority = $"http://127.0.0.1:{port}/";
        _listener.Prefixes.Add(Authority);
        _listener.Start();
        _ = ServeAsync();
    }

    public string Authority { get; }

    /// <summary>A token for <paramref name="clientId"/> with <paramref name="scopes"/>, valid for an hour.</summary>
    public string TokenFor(string clientId, params string[] scopes)
    {
        var now = DateTimeOffset.UtcNow.ToUnixTimeSeconds();
        var header = Encode(JsonSerializer.SerializeToUtf8Bytes(new Dictionary<string, object> { ["alg"] = "RS256", ["typ"] = "at+jwt", ["kid"] = _keyId }));
        var payload = Encode(JsonSerializer.SerializeToUtf8Bytes(new Dictionary<string, object>
        {
            ["iss"] = Authority, ["aud"] = Audience, ["sub"] = clientId, ["client_id"] = clientId, ["scope"] = string.Join(' ', scopes),
            ["iat"] = now, ["nbf"] = now, ["exp"] = now + 3600, ["jti"] = Guid.NewGuid().ToString("N"),
        }));
        var signature = Encode(_key.SignData(Encoding.ASCII.GetBytes($"{header}.{payload}"), HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1));
        return $"{header}.{payload}.{signature}";
    }

    private async Task ServeAsync()
    {
        while (!_stop.IsCancellationRequested)
        {
            HttpListenerContext context;
            try
            {
                context = await _listener.GetContextAsync();
            }
            catch (Exception) when (_stop.IsCancellationRequested)
            {
                return;
            }
            var path = context.Request.Url?.AbsolutePath ?? "";
            object? document = path switch
            {
                "/.well-known/openid-configuration" => new Dictionary<string, object>
                {
                    ["issuer"] = Authority, ["jwks_uri"] = Authority + "jwks", ["token_endpoint"] = Authority + "token",
                    ["id_token_signing_alg_values_supported"] = new[] { "RS256" },
                },
                "/jwks" => new { keys = new[] { Jwk() } },
                _ => null,
            };
            context.Response.StatusCode = document is null ? 404 : 200;
            context.Response.ContentType = "application/json";
            if (document is not null)
            {
                await context.Response.OutputStream.WriteAsync(JsonSerializer.SerializeToUtf8Bytes(document));
            }
            context.Response.Close();
        }
    }

    private Dictionary<string, string> Jwk()
    {
        var parameters = _key.ExportParameters(includePrivateParameters: false);
        return new() { ["kty"] = "RSA", ["use"] = "sig", ["alg"] = "RS256", ["kid"] = _keyId, ["n"] = Encode(parameters.Modulus!), ["e"] = Encode(parameters.Exponent!) };
    }

    private static string Encode(byte[] bytes) => Convert.ToBase64String(bytes).TrimEnd('=').Replace('+', '-').Replace('/', '_');

    public void Dispose()
    {
        _stop.Cancel();
        _listener.Close();
        _key.Dispose();
        _stop.Dispose();
    }
}
