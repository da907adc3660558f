using EserSecurity.Core.Identity;
using EserSecurity.Core.SchoolSystems;
using EserSecurity.Core.Staff;
using Microsoft.EntityFrameworkCore;

namespace EserSecurity.Tests.Support;

/// <summary>Link requests and linked accounts as test preconditions, made through the real services.</summary>
public static class LinkSetup
{
    /// <summary>The issuer of the test sign-on provider whose accounts file link requests.</summary>
    public const string Issuer = TestPeople.UnlinkedIssuer;

    /// <summary>Signs in an unlinked account of the test provider with this subject; returns the account the cookie would name.</summary>
    public static async Task<SignedInAccount> SignInUnlinkedAsync(TestDatabase database, string subject, string? displayName = null)
    {
        var account = new SignOnAccount(Issuer, subject, displayName ?? subject, null, null);
        var outcome = await database.Get<SignOnLinks>().SignInAsync(account);
        return new SignedInAccount(Issuer, subject, outcome.SessionId!.Value);
    }

    /// <summary>Files a link request from a fresh unlinked account; returns its id. A null Staff ID claims one nobody has.</summary>
    public static async Task<int> FileAsync(TestDatabase database, string subject, SchoolSystem lea, string? staffId, School? school = null)
    {
        var account = await SignInUnlinkedAsync(database, subject);
        return await database.Get<LinkRequestService>().FileAsync(account, new LinkRequestForm(staffId ?? "99999999", lea.Id, school?.Id));
    }

    /// <summary>Links the person through the development issuer (signing them in); returns the link's id.</summary>
    public static async Task<int> LinkedIdentityAsync(TestDatabase database, StaffMember person)
    {
        await TestPeople.SignInAsync(database.Services, person.StaffId);
        await using var db = await database.OpenAsync();
        return await db.SignOnIdentities.Where(i => i.StaffMemberId == person.Id).Select(i => i.Id).SingleAsync();
    }
}
