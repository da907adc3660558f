using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using EserSecurity.Core.Data;
using EserSecurity.Dashboard.Hosting;
using EserSecurity.Tests.Support;
using Microsoft.AspNetCore.DataProtection;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace EserSecurity.Tests.Dashboard.Hosting;

/// <summary>
/// With <c>SignIn:KeyCertificatePath</c> set, the keys that protect sessions are stored encrypted with the certificate:
/// the database alone does not give them away, another instance with the certificate reads them, one without cannot.
/// </summary>
public sealed class SignInKeyProtectionTests : IDisposable
{
    private const string Password = "test-only-password";

    private readonly string _folder = Directory.CreateTempSubdirectory("eser-keys-").FullName;

    [Fact]
    public async Task WithACertificate_KeysAreStoredEncrypted_AndOnlyInstancesWithTheCertificateReadThem()
    {
        var certificate = WriteCertificate("keys.pfx");
        var database = $"Data Source={Path.Combine(_folder, "shared.db")}";
        var withCertificate = new Dictionary<string, string?>
        {
            ["Database:ConnectionString"] = database,
            [SignInKeyRing.CertificatePathKey] = Path.Combine(_folder, "keys.pfx"),
            [SignInKeyRing.CertificatePasswordKey] = Password,
        };

        string payload;
        await using (var first = new ConsoleHost("Production", withCertificate))
        {
            payload = Protector(first).Protect("a session");
            await using var db = await first.Services.GetRequiredService<IDbContextFactory<EserSecurityDbContext>>().CreateDbContextAsync();
            var key = Assert.Single(await db.SignInKeys.Select(k => k.Xml).ToListAsync());
            Assert.Contains("encryptedSecret", key);
            Assert.Contains(Convert.ToBase64String(certificate.RawData), key);
            Assert.DoesNotContain("<value>", key);
        }

        await using (var second = new ConsoleHost("Production", withCertificate))
        {
            Assert.Equal("a session", Protector(second).Unprotect(payload));
        }

        await using var without = new ConsoleHost("Production", new Dictionary<string, string?> { ["Database:ConnectionString"] = database });
        Assert.ThrowsAny<CryptographicException>(() => Protector(without).Unprotect(payload));
    }

    [Fact]
    public void ACertificateThatCannotBeRead_StopsTheStart_SayingWhatToCheck()
    {
        WriteCertificate("keys.pfx");
        using var host = new ConsoleHost("Production", new Dictionary<string, string?>
        {
            [SignInKeyRing.CertificatePathKey] = Path.Combine(_folder, "keys.pfx"),
            [SignInKeyRing.CertificatePasswordKey] = "not the password",
        });

        var refused = Assert.Throws<InvalidOperationException>(() => host.Services);

        Assert.StartsWith($"{SignInKeyRing.CertificatePathKey}: the certificate", refused.Message);
        Assert.Contains(SignInKeyRing.CertificatePasswordKey, refused.Message);
    }

    private static IDataProtector Protector(ConsoleHost host) =>
        host.Services.GetRequiredService<IDataProtectionProvider>().CreateProtector("SignInKeyProtectionTests");

    private X509Certificate2 WriteCertificate(string fileName)
    {
        using var rsa = RSA.Create(2048);
        var request = new CertificateRequest("CN=EserSecurity sign-in keys (test)", rsa, HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1);
        var certificate = request.CreateSelfSigned(DateTimeOffset.UtcNow.AddDays(-1), DateTimeOffset.UtcNow.AddYears(1));
        File.WriteAllBytes(Path.Combine(_folder, fileName), certificate.Export(X509ContentType.Pfx, Password));
        return certificate;
    }

    public void Dispose()
    {
        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
        Directory.Delete(_folder, recursive: true);
    }
}
