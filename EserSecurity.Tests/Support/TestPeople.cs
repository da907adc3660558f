using EserSecurity.Core.Data;
using EserSecurity.Core.Identity;
using EserSecurity.Core.Staff;
using EserSecurity.Dashboard.Hosting;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace EserSecurity.Tests.Support;

/// <summary>
/// Finds test and demo people straight in the database, by Staff ID or demo username. Tests only: the console itself
/// finds a person by the signed-in account's issuer and subject alone.
/// </summary>
public static class TestPeople
{
    public static async Task<LinkedPerson?> FindAsync(IServiceProvider services, string staffIdOrUsername)
    {
        var factory = services.GetRequiredService<IDbContextFactory<EserSecurityDbContext>>();
        await using var db = await factory.CreateDbContextAsync();
        var key = staffIdOrUsername.Trim();
        return await db.StaffMembers.AsNoTracking()
            .Where(s => s.StaffId == key || s.Username == key.ToLowerInvariant())
            .Select(s => new LinkedPerson(s.Id, s.FirstName + " " + s.LastName, s.StaffId, s.EmploymentStatus == EmploymentStatus.Active))
            .FirstOrDefaultAsync();
    }

    public static async Task<LinkedPerson> GetAsync(IServiceProvider services, string staffIdOrUsername) =>
        await FindAsync(services, staffIdOrUsername)
        ?? throw new InvalidOperationException($"No staff record has Staff ID or username {staffIdOrUsername}.");

    /// <summary>
    /// Signs a test person in through the development issuer (their Staff ID as subject), as the development sign-in
    /// does; returns the account the cookie would name. A key that finds nobody signs in an unlinked account of a test
    /// issuer instead, with the key as subject.
    /// </summary>
    public static async Task<SignedInAccount> SignInAsync(IServiceProvider services, string staffIdOrUsername)
    {
        var person = await FindAsync(services, staffIdOrUsername);
        var account = person is null
            ? new SignOnAccount(UnlinkedIssuer, staffIdOrUsername, staffIdOrUsername, null, null)
            : new SignOnAccount(SignOnClaims.DevelopmentIssuer, person.StaffId, person.DisplayName, null, null);
        var outcome = await services.GetRequiredService<SignOnLinks>().SignInAsync(account);
        return new SignedInAccount(account.Issuer, account.Subject,
            outcome.SessionId ?? throw new InvalidOperationException($"Sign-in of {staffIdOrUsername} was refused: {outcome.Message}"));
    }

    /// <summary>The issuer of the accounts tests sign in without a staff record.</summary>
    public const string UnlinkedIssuer = "https://sign-on.test.example";
}
