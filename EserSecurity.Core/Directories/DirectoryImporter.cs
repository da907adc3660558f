using EserSecurity.Core.Administration;
using EserSecurity.Core.Audit;
using EserSecurity.Core.Data;
using EserSecurity.Core.Security;
using Microsoft.EntityFrameworkCore;

namespace EserSecurity.Core.Directories;

/// <summary>
/// Who a directory import acts as: a person (a <see cref="Security.Caller"/>, whose scope the import checks), or the
/// system for the first import on a database that has no active state administrator yet. On an empty database nobody
/// exists to act as, so the first school and staff directories load as the system with statewide scope; the bootstrap
/// then makes the first state administrator from the staff just loaded, and from then on an import acts as a person.
/// </summary>
public sealed class DirectoryImporter
{
    private DirectoryImporter(Caller? caller) => Caller = caller;

    /// <summary>The acting person; null for the first import as the system.</summary>
    public Caller? Caller { get; }

    /// <summary>The import acts as this person, within their scope, audited as them.</summary>
    public static DirectoryImporter Person(Caller caller) => new(caller ?? throw new ArgumentNullException(nameof(caller)));

    /// <summary>
    /// The import acts as the system, statewide, audited as <see cref="AuditLog.FirstDirectoryImportActorName"/>; allowed
    /// only while the database has no active state administrator (checked at preview and again inside the commit's transaction).
    /// </summary>
    public static DirectoryImporter FirstImport { get; } = new(null);

    public static implicit operator DirectoryImporter(Caller caller) => Person(caller);

    /// <summary>
    /// The importer's scope and audit actor, read in <paramref name="db"/> (inside the commit's write transaction, so the
    /// first-import check cannot race with the bootstrap making a state administrator).
    /// </summary>
    /// <exception cref="FirstDirectoryImportClosedException">The first import is asked for, but a state administrator exists.</exception>
    /// <exception cref="ScopeDeniedException">The person is not linked to a staff record.</exception>
    internal async Task<ResolvedImporter> ResolveAsync(EserSecurityDbContext db, ScopeService scopes, DateOnly today, CancellationToken ct)
    {
        if (Caller is not null)
        {
            return new ResolvedImporter(await scopes.GetScopeAsync(db, Caller.StaffMemberId, ct), Caller);
        }
        if (await StateAdministratorService.ActiveAdministrators(db, today).AnyAsync(ct))
        {
            throw new FirstDirectoryImportClosedException();
        }
        return new ResolvedImporter(SystemScope, null);
    }

    /// <summary>Statewide, as a state administrator's; it acts for nobody (staff member id 0 matches no record).</summary>
    private static readonly AccessScope SystemScope = new(0, null, true,
        new HashSet<int>(), new HashSet<int>(), new HashSet<int>(), new HashSet<int>());
}

/// <summary>A directory importer resolved in the import's database context: the scope it checks and the actor it is audited as.</summary>
internal sealed record ResolvedImporter(AccessScope Scope, Caller? Actor)
{
    /// <summary>The staff member id recorded on the import and on published changes; null for the system.</summary>
    public int? ActorId => Actor?.StaffMemberId;

    /// <summary>Appends the import's audit event as the person, or as the first directory import by the system.</summary>
    public Task AuditAsync(EserSecurityDbContext db, DateTimeOffset at, AuditEntry entry, CancellationToken ct) =>
        Actor is null
            ? AuditLog.AppendAsSystemAsync(db, AuditLog.FirstDirectoryImportActorName, at, entry, ct)
            : AuditLog.AppendAsync(db, Actor, at, entry, ct);
}

/// <summary>
/// Thrown when a directory import asks to run as the system (the first import) on a database that already has an
/// active state administrator. The message is safe to show.
/// </summary>
public sealed class FirstDirectoryImportClosedException()
    : Exception("The console already has an active state administrator, so a directory import no longer runs as the system: " +
        "it acts as a person, a state administrator or a district coordinator, and is audited as them.");
