using System.Globalization;
using EserSecurity.Core.AccessRequests;
using EserSecurity.Core.Audit;
using EserSecurity.Core.Changes;
using EserSecurity.Core.Data;
using EserSecurity.Core.Security;
using EserSecurity.Core.Staff;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;

namespace EserSecurity.Core.Assurance;

/// <summary>
/// Signing the annual confidentiality assurance, one's own signatures, and the public verification of a signed
/// statement's code. A person signs once per school year, the current version of that year's statement; the
/// database's unique index on (person, school year) backs the check, so two quick submissions store one signature.
/// </summary>
public sealed class AssuranceService(
    IDbContextFactory<EserSecurityDbContext> dbFactory, IAccessChangeFeed changes, TimeProvider clock, IOptions<AssuranceOptions> options,
    ScopeService scopes)
{
    /// <summary>The name shown for a signer employed by the state education agency rather than a school system.</summary>
    public const string StateAgencyName = "State education agency";

    private int GraceDays => options.Value.GraceDays;

    /// <summary>
    /// Whether a change can alter <see cref="GetOwnStatusAsync"/> for the person <paramref name="staffMemberId"/>: their
    /// own signature (in any tab or browser), or a published statement, which can start the year's assurance.
    /// </summary>
    public static bool ConcernsOwnStatus(AccessChange change, int? staffMemberId) =>
        change.Kind == AccessChangeKind.StatementPublished
        || (change.Kind == AccessChangeKind.AssuranceSigned && staffMemberId is int me && change.SubjectStaffMemberId == me);

    /// <summary>Whether the signed-in person has signed this school year's statement: two indexed lookups, cheap enough for every page.</summary>
    public async Task<OwnAssuranceStatus> GetOwnStatusAsync(Caller caller, CancellationToken ct = default)
    {
        var today = clock.Today();
        var year = SchoolYear.Containing(today);
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var signed = await db.AssuranceSignatures.AnyAsync(s => s.StaffMemberId == caller.StaffMemberId && s.SchoolYear == year.StartYear, ct);
        var published = await db.StatementVersions.AnyAsync(v => v.SchoolYear == year.StartYear && v.Status == StatementStatus.Published, ct);
        return new OwnAssuranceStatus(year, AssuranceRules.StatusOn(today, signed, GraceDays), AssuranceRules.OverdueFrom(year, GraceDays), published);
    }

    /// <summary>This school year's statement for the signed-in person, and their signature when they signed already.</summary>
    public async Task<SigningView> GetSigningViewAsync(Caller caller, CancellationToken ct = default)
    {
        var today = clock.Today();
        var year = SchoolYear.Containing(today);
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var person = await LoadSignerAsync(db, caller, ct);
        var current = await Statements.CurrentAsync(db, year.StartYear, ct);
        var existing = (await OwnSignaturesAsync(db, caller.StaffMemberId, year, ct)).SingleOrDefault();
        return new SigningView(year, AssuranceRules.StatusOn(today, existing is not null, GraceDays), AssuranceRules.OverdueFrom(year, GraceDays),
            current is null ? null : Statements.View(current, true), existing, person.FullName);
    }

    /// <summary>Every signature of the signed-in person, newest school year first: each can be downloaded as a PDF.</summary>
    public async Task<IReadOnlyList<OwnSignature>> ListOwnSignaturesAsync(Caller caller, CancellationToken ct = default)
    {
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        return await OwnSignaturesAsync(db, caller.StaffMemberId, null, ct);
    }

    /// <summary>
    /// Signs this school year's current statement for the signed-in person. Refused, with a message that says what to
    /// do, when the version is not the current one, an acknowledgement is not ticked, the typed name does not match
    /// the staff record, or the person signed this year already (then <see cref="AssuranceRefusedException.ExistingSignature"/>
    /// is that signature).
    /// </summary>
    public async Task<OwnSignature> SignAsync(Caller caller, SignatureRequest request, CancellationToken ct = default)
    {
        var today = clock.Today();
        var year = SchoolYear.Containing(today);
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var person = await LoadSignerAsync(db, caller, ct);
        if (person.EmploymentStatus != EmploymentStatus.Active)
        {
            throw new AssuranceRefusedException("Only active staff sign the confidentiality assurance. If your staff record is wrong, ask your district security coordinator.");
        }
        var current = await Statements.CurrentAsync(db, year.StartYear, ct)
            ?? throw new AssuranceRefusedException($"No confidentiality assurance statement is published for {year.Label} yet.");
        if (request.StatementVersionId != current.Id)
        {
            throw new AssuranceRefusedException(
                $"The statement changed while you were reading it: version {current.VersionNumber} is now the {year.Label} statement. Read it and sign again.");
        }
        await RefuseSecondSignatureAsync(db, caller.StaffMemberId, year, ct);

        var acknowledgements = StatementMarkup.Acknowledgements(current.Acknowledgements);
        if (request.AcknowledgedIndexes.Any(i => i < 0 || i >= acknowledgements.Count))
        {
            throw new AssuranceRefusedException("An acknowledgement you ticked is not part of this statement. Reload the page and sign again.");
        }
        var missing = Enumerable.Range(0, acknowledgements.Count).FirstOrDefault(i => !request.AcknowledgedIndexes.Contains(i), -1);
        if (missing >= 0)
        {
            throw new AssuranceRefusedException($"Tick every acknowledgement to sign. Not ticked: “{acknowledgements[missing]}”");
        }
        if (!AssuranceRules.TypedNameMatches(request.TypedName, person.FullName))
        {
            throw new AssuranceRefusedException($"Type your full name as it appears in your staff record: {person.FullName}");
        }

        var now = clock.GetUtcNow();
        var signature = new AssuranceSignature
        {
            StaffMemberId = caller.StaffMemberId,
            StatementVersionId = current.Id,
            SchoolYear = year.StartYear,
            SignedAt = now,
            TypedName = AssuranceRules.NormalizeName(request.TypedName),
            Acknowledgements = string.Join('\n', acknowledgements),
            TextHash = SignedText.Hash(current),
            VerificationCode = VerificationCode.New(),
            ClientAddress = Cut(request.ClientAddress, AssuranceSignature.ClientAddressMaxLength),
            UserAgent = Cut(request.UserAgent, AssuranceSignature.UserAgentMaxLength),
        };

        await using (var transaction = await db.BeginWriteAsync(ct))
        {
            // Checked again inside the write transaction: another tab may have signed since the check above.
            await RefuseSecondSignatureAsync(db, caller.StaffMemberId, year, ct);
            db.AssuranceSignatures.Add(signature);
            try
            {
                await db.SaveChangesAsync(ct);
            }
            catch (DbUpdateException)
            {
                // A server database lets two transactions pass the check; its unique index then refuses the second.
                await transaction.RollbackAsync(ct);
                db.ChangeTracker.Clear();
                await RefuseSecondSignatureAsync(db, caller.StaffMemberId, year, ct);
                throw;
            }
            await AuditLog.AppendAsync(db, caller, now, new AuditEntry("Assurance.Signed", nameof(AssuranceSignature),
                signature.Id.ToString(CultureInfo.InvariantCulture), person.SchoolSystemId, null,
                new
                {
                    staffMemberId = caller.StaffMemberId,
                    schoolYear = year.Label,
                    statementVersionId = current.Id,
                    version = current.VersionNumber,
                    typedName = signature.TypedName,
                    textHash = signature.TextHash,
                    clientAddress = signature.ClientAddress,
                }), ct);
            await transaction.CommitAsync(ct);
        }

        // One change per school, so a local coordinator of any of the signer's schools sees it.
        IEnumerable<int?> schoolIds = person.SchoolIds.Count == 0 ? [null] : person.SchoolIds.Select(id => (int?)id);
        foreach (var schoolId in schoolIds)
        {
            changes.Publish(new AccessChange(AccessChangeKind.AssuranceSigned, person.SchoolSystemId, schoolId, null, caller.StaffMemberId, now,
                caller.StaffMemberId));
        }
        return new OwnSignature(signature.Id, year, current.Id, current.VersionNumber, current.Title, now, signature.TypedName,
            signature.VerificationCode, true);
    }

    /// <summary>
    /// Checks a verification code from a signed statement, for anyone, signed in or not. Says only the signer's name,
    /// school system, school year and signing day, and whether the signature is current. Input is normalised (case,
    /// dashes, spaces, I/L/O); anything that cannot be a code is answered without touching the database.
    /// </summary>
    public async Task<VerificationResult> VerifyAsync(string? code, CancellationToken ct = default)
    {
        var normalized = VerificationCode.Normalize(code);
        if (normalized is null)
        {
            return VerificationResult.Unknown;
        }
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var found = await db.AssuranceSignatures.AsNoTracking()
            .Where(s => s.VerificationCode == normalized)
            .Select(s => new
            {
                s.SchoolYear,
                s.SignedAt,
                s.StaffMember!.FirstName,
                s.StaffMember.LastName,
                SchoolSystemName = s.StaffMember.SchoolSystem != null ? s.StaffMember.SchoolSystem.Name : null,
                IsCurrentVersion = !db.StatementVersions.Any(v => v.SchoolYear == s.SchoolYear && v.Status == StatementStatus.Published
                    && v.VersionNumber > s.StatementVersion!.VersionNumber),
            })
            .SingleOrDefaultAsync(ct);
        if (found is null)
        {
            return VerificationResult.Unknown;
        }
        var isThisYear = found.SchoolYear == SchoolYear.Containing(clock.Today()).StartYear;
        return new VerificationResult(isThisYear && found.IsCurrentVersion ? VerificationState.Current : VerificationState.Superseded,
            $"{found.FirstName} {found.LastName}", found.SchoolSystemName ?? StateAgencyName, new SchoolYear(found.SchoolYear).Label,
            DateOnly.FromDateTime(found.SignedAt.UtcDateTime));
    }

    private sealed record Signer(string FullName, EmploymentStatus EmploymentStatus, int? SchoolSystemId, List<int> SchoolIds);

    private async Task<Signer> LoadSignerAsync(EserSecurityDbContext db, Caller caller, CancellationToken ct) =>
        await db.StaffMembers.AsNoTracking().Where(s => s.Id == caller.StaffMemberId)
            .Select(s => new Signer(s.FirstName + " " + s.LastName, s.EmploymentStatus, s.SchoolSystemId, s.Schools.Select(x => x.SchoolId).ToList()))
            .SingleOrDefaultAsync(ct)
        ?? throw scopes.Refuse(caller.StaffMemberId, "Your account is not linked to a staff record.");

    private static async Task RefuseSecondSignatureAsync(EserSecurityDbContext db, int staffMemberId, SchoolYear year, CancellationToken ct)
    {
        var existing = (await OwnSignaturesAsync(db, staffMemberId, year, ct)).SingleOrDefault();
        if (existing is not null)
        {
            throw new AssuranceRefusedException(
                $"You already signed the {year.Label} statement on {AccessRequestService.FormatTime(existing.SignedAt)} (version {existing.VersionNumber}). It stays valid for the whole school year.",
                existing);
        }
    }

    /// <summary>A person's signatures, newest school year first; with <paramref name="year"/>, that year's (at most one).</summary>
    private static async Task<List<OwnSignature>> OwnSignaturesAsync(EserSecurityDbContext db, int staffMemberId, SchoolYear? year, CancellationToken ct)
    {
        var signatures = db.AssuranceSignatures.AsNoTracking().Where(s => s.StaffMemberId == staffMemberId);
        if (year is { } only)
        {
            signatures = signatures.Where(s => s.SchoolYear == only.StartYear);
        }
        var rows = await signatures
            .OrderByDescending(s => s.SchoolYear)
            .Select(s => new
            {
                s.Id, s.SchoolYear, s.StatementVersionId, s.StatementVersion!.VersionNumber, s.StatementVersion.Title, s.SignedAt, s.TypedName,
                s.VerificationCode,
                IsCurrentVersion = !db.StatementVersions.Any(v => v.SchoolYear == s.SchoolYear && v.Status == StatementStatus.Published
                    && v.VersionNumber > s.StatementVersion.VersionNumber),
            })
            .ToListAsync(ct);
        return rows.Select(s => new OwnSignature(s.Id, new SchoolYear(s.SchoolYear), s.StatementVersionId, s.VersionNumber, s.Title, s.SignedAt,
            s.TypedName, s.VerificationCode, s.IsCurrentVersion)).ToList();
    }

    private static string? Cut(string? value, int max)
    {
        var trimmed = value?.Trim();
        return string.IsNullOrEmpty(trimmed) ? null : trimmed.Length <= max ? trimmed : trimmed[..max];
    }
}
