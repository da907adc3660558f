using System.IO.Compression;
using EserSecurity.Core.Assurance;
using EserSecurity.Core.Data;
using EserSecurity.Core.Security;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;

namespace EserSecurity.Core.Documents;

/// <summary>
/// Generates the printable documents — the Security Coordinator Setup and Gaining Access A–Z one-pagers and the
/// authorized-user list of a school system, and a person's signed confidentiality assurance statement — in process,
/// as PDFs with real, extractable text.
/// State administrators may get any school system's documents; district and local coordinators and supervisors only
/// their own school system's, and a local coordinator's authorized-user list lists only the grants at their schools;
/// everyone else gets <see cref="ScopeDeniedException"/>. A signed statement goes to its
/// signer and to those whose scope covers the signer (<see cref="AccessScope.CoversPerson"/>).
/// </summary>
public sealed class DocumentService(
    IDbContextFactory<EserSecurityDbContext> dbFactory, ScopeService scopes, TimeProvider clock, IOptions<DocumentOptions>? options = null,
    IOptions<AssuranceOptions>? assuranceOptions = null)
{
    private readonly string? _consoleUrl = options?.Value.ConsoleUrl;

    /// <summary>The one-pagers' reads and compositions, kept until the next audited change or day.</summary>
    private readonly OnePagerInputs _onePagerInputs = new();

    /// <summary>The Security Coordinator Setup one-pager: coordinators and supervisor, duties, approving in the console, key dates.</summary>
    public async Task<GeneratedDocument> CoordinatorSetupAsync(Caller caller, int schoolSystemId, CancellationToken ct = default)
    {
        var (sheet, keyDates, context) = await LoadOnePagerAsync(caller, schoolSystemId, ct);
        var composed = _onePagerInputs.Composed(sheet, OnePagerKind.CoordinatorSetup,
            () => CoordinatorSetupDocument.ComposeOnOnePage(sheet, keyDates, context));
        return new GeneratedDocument(CoordinatorSetupFileName(sheet.Code), GeneratedDocument.PdfContentType,
            composed.Build(context.Author, context.Now));
    }

    /// <summary>The Gaining Access A–Z one-pager: a user's six steps, the coordinators to contact, key dates.</summary>
    public async Task<GeneratedDocument> GainingAccessAsync(Caller caller, int schoolSystemId, CancellationToken ct = default)
    {
        var (sheet, keyDates, context) = await LoadOnePagerAsync(caller, schoolSystemId, ct);
        var composed = _onePagerInputs.Composed(sheet, OnePagerKind.GainingAccess,
            () => GainingAccessDocument.ComposeOnOnePage(sheet, keyDates, context));
        return new GeneratedDocument(GainingAccessFileName(sheet.Code), GeneratedDocument.PdfContentType,
            composed.Build(context.Author, context.Now));
    }

    /// <summary>The authorized-user list as a PDF: one row per active grant, sorted by name, header row on every page, total at the end.</summary>
    public async Task<GeneratedDocument> AuthorizedUserListPdfAsync(Caller caller, int schoolSystemId, CancellationToken ct = default)
    {
        var (system, rows, context) = await LoadAuthorizedUsersAsync(caller, schoolSystemId, ct);
        await scopes.Events.PersonalDataHandedOutAsync(caller, "Authorized-user list (PDF)", schoolSystemId, rows.Count, null, ct);
        return new GeneratedDocument($"authorized-users-{system.Code}-{DocumentDates.Iso(context.Today)}.pdf", GeneratedDocument.PdfContentType,
            AuthorizedUserList.RenderPdf(system.Code, system.Name, rows, context));
    }

    /// <summary>The authorized-user list as CSV (RFC 4180, UTF-8); values a spreadsheet would run as formulas are neutralised.</summary>
    public async Task<GeneratedDocument> AuthorizedUserListCsvAsync(Caller caller, int schoolSystemId, CancellationToken ct = default)
    {
        var (system, rows, context) = await LoadAuthorizedUsersAsync(caller, schoolSystemId, ct);
        await scopes.Events.PersonalDataHandedOutAsync(caller, "Authorized-user list (CSV)", schoolSystemId, rows.Count, null, ct);
        return new GeneratedDocument($"authorized-users-{system.Code}-{DocumentDates.Iso(context.Today)}.csv", GeneratedDocument.CsvContentType,
            AuthorizedUserList.RenderCsv(rows));
    }

    /// <summary>
    /// A signed confidentiality assurance statement: the statement as signed, the acknowledgements ticked, the signer,
    /// Staff ID, school system, school year, time, version and verification code, with a QR code to
    /// <c>{ConsoleUrl}/verify/{code}</c> when the console's address is configured. For the signer at any time, and for
    /// state administrators and the coordinators and supervisors whose scope covers the signer.
    /// </summary>
    public async Task<GeneratedDocument> SignedStatementAsync(Caller caller, int signatureId, CancellationToken ct = default)
    {
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var scope = await scopes.GetScopeAsync(db, caller.StaffMemberId, ct);
        var found = await db.AssuranceSignatures.AsNoTracking().Where(s => s.Id == signatureId)
            .Select(s => new
            {
                s.StaffMemberId,
                s.StaffMember!.SchoolSystemId,
                SchoolIds = s.StaffMember.Schools.Select(x => x.SchoolId).ToList(),
                Sheet = new SignedStatementSheet(
                    s.StaffMember.FirstName + " " + s.StaffMember.LastName,
                    s.StaffMember.StaffId,
                    s.StaffMember.SchoolSystem != null ? s.StaffMember.SchoolSystem.Name : AssuranceService.StateAgencyName,
                    new SchoolYear(s.SchoolYear),
                    s.SignedAt,
                    s.TypedName,
                    s.StatementVersion!.VersionNumber,
                    s.StatementVersion.PublishedAt,
                    s.StatementVersion.Title,
                    s.StatementVersion.Body,
                    new List<string>(),
                    s.TextHash,
                    s.VerificationCode),
                s.Acknowledgements,
            })
            .SingleOrDefaultAsync(ct);
        if (found is null || (found.StaffMemberId != caller.StaffMemberId && !scope.CoversPerson(found.SchoolSystemId, found.SchoolIds)))
        {
            // The same answer for "missing" and "not yours", so signature ids cannot be probed.
            throw scope.Refuse("That signed statement does not exist or is outside your scope.");
        }
        if (found.StaffMemberId != caller.StaffMemberId)
        {
            await scopes.Events.PersonalDataHandedOutAsync(caller, $"Signed assurance statement of staff record {found.StaffMemberId}",
                found.SchoolSystemId, 1, null, ct);
        }
        var sheet = found.Sheet with { Acknowledgements = StatementMarkup.Acknowledgements(found.Acknowledgements) };
        return new GeneratedDocument(SignedStatementDocument.FileName(sheet), GeneratedDocument.PdfContentType,
            SignedStatementDocument.Render(sheet, Context(caller, clock.Today())));
    }

    /// <summary>
    /// State administrators only: writes a ZIP with both one-pagers of every school system to <paramref name="output"/>
    /// (left open), reporting the number of one-pagers written so far — two per school system — after each one.
    /// </summary>
    public async Task WriteOnePagersZipAsync(Caller caller, Stream output, IProgress<int>? progress = null, CancellationToken ct = default)
    {
        IReadOnlyList<SchoolSystemSheet> sheets;
        IReadOnlyList<KeyDateLine> keyDates;
        var today = clock.Today();
        await using (var db = await dbFactory.CreateDbContextAsync(ct))
        {
            var scope = await scopes.GetScopeAsync(db, caller.StaffMemberId, ct);
            scope.DemandStateAdministrator("download the one-pagers of every school system");
            sheets = await SchoolSystemSheets.LoadAsync(db, null, today, ct);
            keyDates = await SchoolSystemSheets.LoadKeyDatesAsync(db, today, ct);
        }

        var context = Context(caller, today);
        var done = 0;
        // ZipArchive writes synchronously, which an HTTP response body refuses; so it writes into a buffer that is
        // handed on asynchronously after every entry, holding one PDF at a time.
        var buffer = new ForwardBuffer();
        using (var zip = new ZipArchive(buffer, ZipArchiveMode.Create, leaveOpen: true))
        {
            foreach (var sheet in sheets)
            {
                ct.ThrowIfCancellationRequested();
                AddEntry(zip, CoordinatorSetupFileName(sheet.Code), CoordinatorSetupDocument.Render(sheet, keyDates, context), context);
                await buffer.DrainToAsync(output, ct);
                progress?.Report(++done);
                AddEntry(zip, GainingAccessFileName(sheet.Code), GainingAccessDocument.Render(sheet, keyDates, context), context);
                await buffer.DrainToAsync(output, ct);
                progress?.Report(++done);
            }
        }
        await buffer.DrainToAsync(output, ct);
        await output.FlushAsync(ct);
    }

    private static string CoordinatorSetupFileName(string code) => $"coordinator-setup-{code}.pdf";

    private static string GainingAccessFileName(string code) => $"gaining-access-{code}.pdf";

    private static void AddEntry(ZipArchive zip, string name, byte[] content, RenderContext context)
    {
        // PDF content streams and fonts are already compressed; deflating them again costs time for a few percent.
        var entry = zip.CreateEntry(name, CompressionLevel.Fastest);
        entry.LastWriteTime = context.Now;
        using var stream = entry.Open();
        stream.Write(content);
    }

    /// <summary>What a one-pager shows, read with the caller's scope checked: the reads of a one-pager download.</summary>
    internal async Task<(SchoolSystemSheet Sheet, IReadOnlyList<KeyDateLine> KeyDates, RenderContext Context)> LoadOnePagerAsync(
        Caller caller, int schoolSystemId, CancellationToken ct)
    {
        var today = clock.Today();
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        // Held open for the queries below (the kept scope's and the audit sequence, and after a change the sheet's and
        // key dates'): EF would otherwise open and close the connection around each, and every opening sets the
        // connection's pragmas again.
        await db.Database.OpenConnectionAsync(ct);
        await DemandViewAsync(db, caller, schoolSystemId, ct);
        var (sheet, keyDates) = await _onePagerInputs.GetAsync(db, schoolSystemId, today, ct);
        return (sheet ?? throw NotFound(caller), keyDates, Context(caller, today));
    }

    private async Task<((string Code, string Name) System, IReadOnlyList<AuthorizedUserRow> Rows, RenderContext Context)> LoadAuthorizedUsersAsync(
        Caller caller, int schoolSystemId, CancellationToken ct)
    {
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var scope = await DemandViewAsync(db, caller, schoolSystemId, ct);
        var system = await db.SchoolSystems.AsNoTracking().Where(s => s.Id == schoolSystemId)
            .Select(s => new { s.Code, s.Name }).SingleOrDefaultAsync(ct) ?? throw NotFound(caller);
        var rows = await AuthorizedUserList.LoadAsync(db, schoolSystemId, scope.SchoolsListedIn(schoolSystemId), clock.Today(),
            assuranceOptions?.Value ?? new AssuranceOptions(), ct);
        return ((system.Code, system.Name), rows, Context(caller, clock.Today()));
    }

    private async Task<AccessScope> DemandViewAsync(EserSecurityDbContext db, Caller caller, int schoolSystemId, CancellationToken ct)
    {
        // A read: the kept scope, as every other read of a school system's people uses, instead of six queries that
        // work it out afresh before the document's own four.
        var scope = await scopes.GetReadScopeAsync(db, caller.StaffMemberId, ct);
        scope.DemandViewSchoolSystem(schoolSystemId, "get this school system's documents");
        return scope;
    }

    private RenderContext Context(Caller caller, DateOnly today) => new(today, clock.GetUtcNow(), caller.DisplayName, _consoleUrl);

    private ScopeDeniedException NotFound(Caller caller) =>
        scopes.Refuse(caller.StaffMemberId, "That school system does not exist or is outside your scope.");

    /// <summary>A forward-only stream that collects what is written until it is drained to the real output.</summary>
    private sealed class ForwardBuffer : Stream
    {
        private readonly MemoryStream _pending = new();

        public override bool CanRead => false;

        public override bool CanSeek => false;

        public override bool CanWrite => true;

        public override long Length => throw new NotSupportedException();

        public override long Position
        {
            get => throw new NotSupportedException();
            set => throw new NotSupportedException();
        }

        public override void Write(byte[] buffer, int offset, int count) => _pending.Write(buffer, offset, count);

        public override void Write(ReadOnlySpan<byte> buffer) => _pending.Write(buffer);

        public override void Flush()
        {
        }

        public async Task DrainToAsync(Stream output, CancellationToken ct)
        {
            if (_pending.Length > 0)
            {
                await output.WriteAsync(_pending.GetBuffer().AsMemory(0, (int)_pending.Length), ct);
                _pending.SetLength(0);
            }
        }

        public override int Read(byte[] buffer, int offset, int count) => throw new NotSupportedException();

        public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();

        public override void SetLength(long value) => throw new NotSupportedException();
    }
}
