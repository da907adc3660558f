using System.Security.Cryptography.X509Certificates;
using System.Xml.Linq;
using EserSecurity.Core.Data;
using EserSecurity.Core.Identity;
using Microsoft.AspNetCore.DataProtection;
using Microsoft.AspNetCore.DataProtection.KeyManagement;
using Microsoft.AspNetCore.DataProtection.Repositories;
using Microsoft.EntityFrameworkCore;

namespace EserSecurity.Dashboard.Hosting;

/// <summary>
/// The data protection key ring (it signs and encrypts the session cookie and antiforgery tokens) lives in the
/// console's database, under one application name: a restart, or a second instance over the same database, reads the
/// same keys and accepts the cookies already issued instead of signing everyone out. With a certificate configured
/// (<see cref="CertificatePathKey"/>), each key is encrypted with it before it is stored, so reading the database
/// alone does not give the keys away.
/// </summary>
public static class SignInKeyRing
{
    public const string ApplicationName = "EserSecurity";

    /// <summary>A PKCS #12 (.pfx) file whose certificate encrypts the keys at rest; every instance needs the same one.</summary>
    public const string CertificatePathKey = "SignIn:KeyCertificatePath";

    /// <summary>The .pfx file's password: from the environment or a secret store, never in the repository.</summary>
    public const string CertificatePasswordKey = "SignIn:KeyCertificatePassword";

    /// <summary>Earlier certificates' .pfx files (comma-separated) whose keys can still be read after the certificate is replaced.</summary>
    public const string PreviousCertificatePathsKey = "SignIn:PreviousKeyCertificatePaths";

    public static IHostApplicationBuilder AddSignInKeyRing(this IHostApplicationBuilder builder)
    {
        var protection = builder.Services.AddDataProtection().SetApplicationName(ApplicationName);
        if (builder.Configuration[CertificatePathKey] is { Length: > 0 } path)
        {
            var password = builder.Configuration[CertificatePasswordKey];
            var certificate = Load(path, password);
            var previous = (builder.Configuration[PreviousCertificatePathsKey] ?? "")
                .Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)
                .Select(p => Load(p, password));
            protection.ProtectKeysWithCertificate(certificate).UnprotectKeysWithAnyCertificate([certificate, .. previous]);
        }
        builder.Services.AddOptions<KeyManagementOptions>()
            .Configure<IDbContextFactory<EserSecurityDbContext>>((options, dbFactory) => options.XmlRepository = new DatabaseXmlRepository(dbFactory));
        return builder;
    }

    private static X509Certificate2 Load(string path, string? password)
    {
        X509Certificate2 certificate;
        try
        {
            certificate = X509CertificateLoader.LoadPkcs12FromFile(path, password, X509KeyStorageFlags.EphemeralKeySet);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException or System.Security.Cryptography.CryptographicException)
        {
            throw new InvalidOperationException(
                $"{CertificatePathKey}: the certificate '{path}' could not be read ({ex.Message}). Check the path, that the console's account may read it, and {CertificatePasswordKey}.", ex);
        }
        return certificate.HasPrivateKey
            ? certificate
            : throw new InvalidOperationException($"{CertificatePathKey}: the certificate '{path}' has no private key; the console needs it to read the keys back.");
    }

    /// <summary>
    /// Keys as rows of <see cref="SignInKey"/>. The data protection system calls this synchronously, rarely (at start,
    /// when a key is created, and when the ring is refreshed), and caches the ring in between.
    /// </summary>
    private sealed class DatabaseXmlRepository(IDbContextFactory<EserSecurityDbContext> dbFactory) : IXmlRepository
    {
        public IReadOnlyCollection<XElement> GetAllElements()
        {
            using var db = dbFactory.CreateDbContext();
            return db.SignInKeys.AsNoTracking().OrderBy(k => k.Id).Select(k => k.Xml).AsEnumerable().Select(XElement.Parse).ToList();
        }

        public void StoreElement(XElement element, string friendlyName)
        {
            using var db = dbFactory.CreateDbContext();
            db.SignInKeys.Add(new SignInKey { FriendlyName = friendlyName, Xml = element.ToString(SaveOptions.DisableFormatting) });
            db.SaveChanges();
        }
    }
}
