using EserSecurity.Core.Audit;
using EserSecurity.Core.Changes;
using EserSecurity.Core.Data;
using EserSecurity.Core.Security;
using EserSecurity.Core.Staff;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;

namespace EserSecurity.Core.Identity;

/// <summary>
/// Binds a signed-in account to its staff record by issuer and subject, starts and ends sign-in sessions, and answers
/// the re-check that open circuits make. Nothing but the issuer and subject (and, the first time, the claims the
/// deployment configured as trustworthy) ever finds a person: never a name or username.
/// </summary>
public sealed class SignOnLinks(
    IDbContextFactory<EserSecurityDbContext> dbFactory, IAccessChangeFeed changes, TimeProvider clock, IOptions<SignOnLinkOptions> options,
    SecurityEvents events)
{
    /// <summary>The issuer of accounts made by the development sign-in (Development only); the subject is the Staff ID.</summary>
    public const string DevelopmentIssuer = "urn:eser-security:development-sign-in";

    /// <summary>What a person whose staff record has ended is told.</summary>
    public const string EndedMessage =
        "Your staff record in the state directory is no longer active, so the console is closed to you. " +
        "If this is wrong, ask your school system's district security coordinator to correct the directory.";

    /// <summary>
    /// Signs an account in: finds its link by issuer and subject, or links it the first time when exactly one active
    /// staff record matches a trusted claim, and starts a session for every outcome but a refusal.
    /// </summary>
    public async Task<SignInOutcome> SignInAsync(SignOnAccount account, CancellationToken ct = default)
    {
        ArgumentNullException.ThrowIfNull(account);
        var outcome = await StartSignInAsync(account, ct);
        switch (outcome.Kind)
        {
            case SignInOutcomeKind.Linked:
                events.SignedIn(account.Issuer, account.Subject, outcome.Person!.StaffMemberId);
                break;
            case SignInOutcomeKind.Refused:
                events.SignInRefused(account.Issuer, account.Subject, outcome.Message ?? "");
                break;
            default:
                events.SignedInUnlinked(account.Issuer, account.Subject);
                break;
        }
        return outcome;
    }

    private async Task<SignInOutcome> StartSignInAsync(SignOnAccount account, CancellationToken ct)
    {
        if (string.IsNullOrWhiteSpace(account.Issuer) || string.IsNullOrWhiteSpace(account.Subject)
            || account.Issuer.Length > SignOnIdentity.IssuerMaxLength || account.Subject.Length > SignOnIdentity.SubjectMaxLength)
        {
            return Refused("The sign-on provider did not name the account (issuer and subject); sign-in is refused.");
        }
        var isDevelopment = account.Issuer == DevelopmentIssuer;
        if (isDevelopment && !options.Value.AcceptDevelopmentIssuer)
        {
            return Refused("The development sign-in is not accepted here.");
        }

        await using var db = await dbFactory.CreateDbContextAsync(ct);
        await using var transaction = await db.BeginWriteAsync(ct);
        var now = clock.GetUtcNow();
        var linked = await LinkedPersonQuery(db, account.Issuer, account.Subject).SingleOrDefaultAsync(ct);
        AccessChange? published = null;
        if (linked is null)
        {
            var match = isDevelopment
                ? await DevelopmentMatchAsync(db, account.Subject, ct)
                : await TrustedMatchAsync(db, account, ct);
            if (match is null)
            {
                if (isDevelopment)
                {
                    return Refused($"No active staff record has Staff ID {account.Subject}.");
                }
                var session = StartSession(db, account, now);
                await db.SaveChangesAsync(ct);
                var state = await OwnRequestStateAsync(db, account.Issuer, account.Subject, session.Id, ct);
                await transaction.CommitAsync(ct);
                return state;
            }
            var identity = new SignOnIdentity
            {
                Issuer = account.Issuer,
                Subject = account.Subject,
                StaffMemberId = match.Value.StaffMemberId,
                LinkedAt = now,
                LinkedHow = match.Value.How,
            };
            db.SignOnIdentities.Add(identity);
            await db.SaveChangesAsync(ct);
            await AuditLog.AppendAsync(db, null, now, new AuditEntry("SignOn.Linked", nameof(SignOnIdentity), identity.Id.ToString(System.Globalization.CultureInfo.InvariantCulture),
                match.Value.SchoolSystemId, null, LinkSnapshot(identity)), ct);
            published = new AccessChange(AccessChangeKind.SignOnChanged, match.Value.SchoolSystemId, null, null, null, now, match.Value.StaffMemberId);
            linked = await LinkedPersonQuery(db, account.Issuer, account.Subject).SingleAsync(ct);
        }

        if (!linked.Person.IsActive)
        {
            await transaction.CommitAsync(ct);
            Publish(published);
            return Refused(EndedMessage);
        }
        var started = StartSession(db, account, now);
        await db.SaveChangesAsync(ct);
        await transaction.CommitAsync(ct);
        Publish(published);
        return new SignInOutcome(SignInOutcomeKind.Linked, started.Id, linked.Person, null);
    }

    /// <summary>Ends a sign-in session (sign-out); every open tab of it loses the console at once. Ending an ended session does nothing.</summary>
    public async Task EndSessionAsync(SignedInAccount account, CancellationToken ct = default)
    {
        ArgumentNullException.ThrowIfNull(account);
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var now = clock.GetUtcNow();
        var ended = await db.SignInSessions
            .Where(s => s.Id == account.SessionId && s.Issuer == account.Issuer && s.Subject == account.Subject && s.EndedAt == null)
            .ExecuteUpdateAsync(s => s.SetProperty(x => x.EndedAt, now), ct);
        if (ended == 0)
        {
            return;
        }
        var person = await LinkedPersonQuery(db, account.Issuer, account.Subject).SingleOrDefaultAsync(ct);
        events.SignedOut(account.Issuer, account.Subject, person?.Person.StaffMemberId);
        changes.Publish(new AccessChange(AccessChangeKind.SignOnChanged, person?.SchoolSystemId, null, null, person?.Person.StaffMemberId, now,
            person?.Person.StaffMemberId));
    }

    /// <summary>Whether the session is still live: started and neither signed out nor ended by an unlink.</summary>
    public async Task<bool> IsSessionLiveAsync(SignedInAccount account, CancellationToken ct = default)
    {
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        return await IsLiveAsync(db, account, ct);
    }

    /// <summary>
    /// The re-check of a signed-in account: the session is live, the link still exists and the person is still active.
    /// It never throws for an account that lost the console; it answers <see cref="SignedInStatus.SignedOut"/>,
    /// <see cref="SignedInStatus.NotLinked"/> or <see cref="SignedInStatus.NoConsole"/>.
    /// </summary>
    public async Task<SignedInCheck> CheckAsync(SignedInAccount? account, CancellationToken ct = default)
    {
        if (account is null)
        {
            return SignedInCheck.SignedOut;
        }
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        if (!await IsLiveAsync(db, account, ct))
        {
            return SignedInCheck.SignedOut;
        }
        var linked = await LinkedPersonQuery(db, account.Issuer, account.Subject).SingleOrDefaultAsync(ct);
        return linked switch
        {
            null => new SignedInCheck(SignedInStatus.NotLinked, null, null),
            { Person.IsActive: false } => new SignedInCheck(SignedInStatus.NoConsole, null, EndedMessage),
            _ => new SignedInCheck(SignedInStatus.Person, linked.Person, null),
        };
    }

    /// <summary>
    /// Whether a change can alter what <see cref="CheckAsync"/> answers for the person <paramref name="staffMemberId"/>
    /// (null for an account not linked yet): their sign-on or link changed (for an unlinked account, any sign-on or
    /// link request change, since the account has no staff record to name), their directory record changed, or one of
    /// their assignments or employment changed; or anything may have changed (<see cref="AccessChange.ConcernsEveryone"/>).
    /// </summary>
    public static bool ConcernsSignedInPerson(AccessChange change, int? staffMemberId) => change.Kind switch
    {
        AccessChangeKind.SignOnChanged or AccessChangeKind.LinkRequestChanged =>
            staffMemberId is null || change.SubjectStaffMemberId == staffMemberId,
        AccessChangeKind.StaffDirectoryChanged or AccessChangeKind.AssignmentChanged or AccessChangeKind.EmploymentChanged =>
            staffMemberId is int me && change.SubjectStaffMemberId == me,
        _ => change.ConcernsEveryone,
    };

    internal static async Task<bool> IsLiveAsync(EserSecurityDbContext db, SignedInAccount account, CancellationToken ct) =>
        await db.SignInSessions.AsNoTracking()
            .AnyAsync(s => s.Id == account.SessionId && s.Issuer == account.Issuer && s.Subject == account.Subject && s.EndedAt == null, ct);

    internal sealed record LinkedRow(LinkedPerson Person, int? SchoolSystemId);

    internal static IQueryable<LinkedRow> LinkedPersonQuery(EserSecurityDbContext db, string issuer, string subject) =>
        from identity in db.SignOnIdentities.AsNoTracking()
        where identity.Issuer == issuer && identity.Subject == subject
        join person in db.StaffMembers on identity.StaffMemberId equals person.Id
        select new LinkedRow(
            new LinkedPerson(person.Id, person.FirstName + " " + person.LastName, person.StaffId, person.EmploymentStatus == EmploymentStatus.Active),
            person.SchoolSystemId);

    private readonly record struct Match(int StaffMemberId, int? SchoolSystemId, SignOnLinkMethod How);

    private static async Task<Match?> DevelopmentMatchAsync(EserSecurityDbContext db, string staffId, CancellationToken ct)
    {
        var person = await db.StaffMembers.AsNoTracking()
            .Where(s => s.StaffId == staffId && s.EmploymentStatus == EmploymentStatus.Active)
            .Select(s => new { s.Id, s.SchoolSystemId })
            .SingleOrDefaultAsync(ct);
        return person is null ? null : new Match(person.Id, person.SchoolSystemId, SignOnLinkMethod.DevelopmentSignIn);
    }

    /// <summary>
    /// The one active staff record the trusted claims point at, or null when they point at none or at several, or at
    /// someone already linked to another account of the same issuer: those cases need a person to decide.
    /// </summary>
    private static async Task<Match?> TrustedMatchAsync(EserSecurityDbContext db, SignOnAccount account, CancellationToken ct)
    {
        var staffId = account.TrustedStaffId?.Trim();
        var email = account.TrustedEmail?.Trim().ToLowerInvariant();
        var candidates = new List<Match>();
        if (!string.IsNullOrEmpty(staffId))
        {
            candidates.AddRange((await db.StaffMembers.AsNoTracking()
                    .Where(s => s.StaffId == staffId && s.EmploymentStatus == EmploymentStatus.Active)
                    .Select(s => new { s.Id, s.SchoolSystemId }).ToListAsync(ct))
                .Select(s => new Match(s.Id, s.SchoolSystemId, SignOnLinkMethod.TrustedStaffId)));
        }
        if (!string.IsNullOrEmpty(email))
        {
            candidates.AddRange((await db.StaffMembers.AsNoTracking()
                    .Where(s => s.Email.ToLower() == email && s.EmploymentStatus == EmploymentStatus.Active)
                    .Select(s => new { s.Id, s.SchoolSystemId }).Take(2).ToListAsync(ct))
                .Select(s => new Match(s.Id, s.SchoolSystemId, SignOnLinkMethod.TrustedEmail)));
        }
        var people = candidates.Select(c => c.StaffMemberId).Distinct().ToList();
        if (people.Count != 1)
        {
            return null;
        }
        var match = candidates[0];
        var linkedElsewhere = await db.SignOnIdentities.AsNoTracking()
            .AnyAsync(i => i.Issuer == account.Issuer && i.StaffMemberId == match.StaffMemberId, ct);
        return linkedElsewhere ? null : match;
    }

    private static async Task<SignInOutcome> OwnRequestStateAsync(
        EserSecurityDbContext db, string issuer, string subject, Guid session, CancellationToken ct)
    {
        var latest = await db.LinkRequests.AsNoTracking()
            .Where(r => r.Issuer == issuer && r.Subject == subject)
            .OrderByDescending(r => r.Id)
            .Select(r => new { r.State, r.SeenByRequester, r.RefusalReason })
            .FirstOrDefaultAsync(ct);
        return latest switch
        {
            { State: LinkRequestState.Pending } => new SignInOutcome(SignInOutcomeKind.LinkRequestPending, session, null, null),
            { State: LinkRequestState.Refused, SeenByRequester: false } =>
                new SignInOutcome(SignInOutcomeKind.LinkRequestRefused, session, null, latest.RefusalReason),
            _ => new SignInOutcome(SignInOutcomeKind.NeedsLinkRequest, session, null, null),
        };
    }

    private static SignInSession StartSession(EserSecurityDbContext db, SignOnAccount account, DateTimeOffset now)
    {
        // The provider's display name is shown to coordinators, never trusted: what cannot be seen is dropped from it.
        var displayName = account.DisplayName is { } shown ? TextRules.WithoutUnsafe(shown).Trim() : null;
        if (displayName?.Length > LinkRequest.DisplayNameMaxLength)
        {
            displayName = displayName[..LinkRequest.DisplayNameMaxLength];
        }
        var session = new SignInSession
        {
            Id = Guid.NewGuid(), Issuer = account.Issuer, Subject = account.Subject, DisplayName = displayName, StartedAt = now,
        };
        db.SignInSessions.Add(session);
        return session;
    }

    internal static object LinkSnapshot(SignOnIdentity identity) => new
    {
        identity.Issuer,
        identity.Subject,
        identity.StaffMemberId,
        LinkedHow = identity.LinkedHow.ToString(),
        identity.LinkedById,
    };

    private void Publish(AccessChange? change)
    {
        if (change is not null)
        {
            changes.Publish(change);
        }
    }

    private static SignInOutcome Refused(string message) => new(SignInOutcomeKind.Refused, null, null, message);
}
