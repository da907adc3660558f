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
/// same keys and accepts the cookies already issued instead of signing everyone out.
/// </summary>
public static class SignInKeyRing
{
    public const string ApplicationName = "EserSecurity";

    public static IHostApplicationBuilder AddSignInKeyRing(this IHostApplicationBuilder builder)
    {
        builder.Services.AddDataProtection().SetApplicationName(ApplicationName);
        builder.Services.AddOptions<KeyManagementOptions>()
            .Configure<IDbContextFactory<EserSecurityDbContext>>((options, dbFactory) => options.XmlRepository = new DatabaseXmlRepository(dbFactory));
        return builder;
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
