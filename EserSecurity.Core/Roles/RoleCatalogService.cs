using System.Globalization;
using System.Text.RegularExpressions;
using EserSecurity.Core.AccessRequests;
using EserSecurity.Core.Audit;
using EserSecurity.Core.Changes;
using EserSecurity.Core.Data;
using EserSecurity.Core.Security;
using Microsoft.EntityFrameworkCore;

namespace EserSecurity.Core.Roles;

/// <summary>
/// The eSER role catalog and the mapping of legacy TAS roles to it, edited by state administrators only. Every change
/// is audited. A role that any grant or request names is never removed, only retired, so history keeps its meaning.
/// </summary>
public sealed partial class RoleCatalogService(
    IDbContextFactory<EserSecurityDbContext> dbFactory, ScopeService scopes, IAccessChangeFeed changes, TimeProvider clock)
{
    private const string Administer = "edit the role catalog";

    /// <summary>
    /// Whether a change can alter the roles <see cref="ListRolesAsync"/> reads: a change to the catalog, by an
    /// administrator or by a TAS import. The usage counts refresh with it, not with each request or grant in the state.
    /// </summary>
    public static bool ConcernsRoles(AccessChange change) => change.Kind == AccessChangeKind.RoleCatalogChanged;

    /// <summary>
    /// Whether a change can alter the TAS roles <see cref="ListTasRolesAsync"/> reads: a change to the catalog or its
    /// mapping, or a TAS import, which moves the legacy rows counted for each TAS role.
    /// </summary>
    public static bool ConcernsTasRoles(AccessChange change) =>
        change.Kind is AccessChangeKind.RoleCatalogChanged or AccessChangeKind.LegacyAccessImported;

    /// <summary>Every eSER role, retired ones too, by name, with the grants, requests and TAS roles that refer to it.</summary>
    public async Task<IReadOnlyList<EserRoleRow>> ListRolesAsync(Caller caller, CancellationToken ct = default)
    {
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        (await scopes.GetScopeAsync(db, caller.StaffMemberId, ct)).DemandStateAdministrator("see the role catalog");
        var roles = await db.EserRoles.AsNoTracking()
            .Select(r => new
            {
                Role = r,
                ActiveGrants = db.AccessGrants.Count(g => g.EserRoleId == r.Id && g.EndedAt == null),
                Grants = db.AccessGrants.Count(g => g.EserRoleId == r.Id),
                Pending = db.AccessRequests.Count(q => q.EserRoleId == r.Id
                    && (q.Status == AccessRequestStatus.PendingCoordinator || q.Status == AccessRequestStatus.PendingSupervisor)),
                Requests = db.AccessRequests.Count(q => q.EserRoleId == r.Id),
                Version = db.AuditEvents.Where(e => e.EntityType == nameof(EserRole) && e.EntityId == r.Id.ToString()).Max(e => (long?)e.Sequence) ?? 0,
            })
            .ToListAsync(ct);
        var mapped = (await db.TasRoles.AsNoTracking().Where(t => t.EserRoleId != null).Select(t => new { t.EserRoleId, t.Name }).ToListAsync(ct))
            .ToLookup(t => t.EserRoleId!.Value, t => t.Name);
        return roles
            .OrderBy(r => r.Role.Name, StringComparer.CurrentCultureIgnoreCase)
            .Select(r => new EserRoleRow(r.Role.Id, r.Role.Code, r.Role.Name, r.Role.Description, EserRole.SplitPermissions(r.Role.Permissions),
                r.Role.GrantsIepForms, r.Role.Level, r.Role.IsRetired, r.ActiveGrants, r.Grants, r.Pending, r.Requests,
                mapped[r.Role.Id].Order(StringComparer.CurrentCultureIgnoreCase).ToList(), r.Version, r.Role.MaxDurationDays))
            .ToList();
    }

    /// <summary>Adds a role to the catalog; returns its id. Refused with a message naming the problem when the entry is not valid.</summary>
    public async Task<int> CreateRoleAsync(Caller caller, EserRoleEdit edit, CancellationToken ct = default)
    {
        var role = Validate(edit);
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        (await scopes.GetScopeAsync(db, caller.StaffMemberId, ct)).DemandStateAdministrator(Administer);

        await using var transaction = await db.BeginWriteAsync(ct);
        await DemandUniqueAsync(db, role, null, ct);
        var entity = new EserRole
        {
            Code = role.Code,
            Name = role.Name,
            Description = role.Description,
            Permissions = string.Join(EserRole.PermissionSeparator, role.Permissions),
            GrantsIepForms = role.GrantsIepForms,
            Level = role.Level,
            MaxDurationDays = role.MaxDurationDays,
        };
        db.EserRoles.Add(entity);
        await db.SaveChangesAsync(ct);
        await FinishAsync(db, transaction, caller, new AuditEntry("EserRole.Created", nameof(EserRole), Id(entity.Id), null, null, Snapshot(entity)), ct);
        return entity.Id;
    }

    /// <summary>
    /// Changes a role. Refused when the change would alter what existing access means: the level of a role that grants
    /// or requests name, IEP Forms access for a role people already hold, or a permission a TAS role maps to; and when
    /// another administrator changed the role after <paramref name="readVersion"/> (<see cref="EserRoleRow.Version"/>).
    /// </summary>
    public async Task UpdateRoleAsync(Caller caller, int roleId, long readVersion, EserRoleEdit edit, CancellationToken ct = default)
    {
        var role = Validate(edit);
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        (await scopes.GetScopeAsync(db, caller.StaffMemberId, ct)).DemandStateAdministrator(Administer);

        await using var transaction = await db.BeginWriteAsync(ct);
        await EditVersions.DemandUnchangedAsync(db, nameof(EserRole), roleId, readVersion, "this role", null, m => new RoleCatalogRefusedException(m), ct);
        var entity = await FindAsync(db, roleId, ct);
        await DemandUniqueAsync(db, role, roleId, ct);
        if (role.Level != entity.Level && await IsReferencedAsync(db, roleId, ct))
        {
            throw new RoleCatalogRefusedException(
                $"{entity.Name} is already granted or requested {LevelText(entity.Level)}; its level cannot change. Retire it and create a role granted {LevelText(role.Level)} instead.");
        }
        if (role.GrantsIepForms && !entity.GrantsIepForms && await db.AccessGrants.AnyAsync(g => g.EserRoleId == roleId && g.EndedAt == null, ct))
        {
            throw new RoleCatalogRefusedException(
                $"People already hold {entity.Name} without a supervisor's endorsement for IEP Forms. Create a new role with IEP Forms access instead.");
        }
        var dropped = EserRole.SplitPermissions(entity.Permissions).Except(role.Permissions, StringComparer.OrdinalIgnoreCase).ToList();
        if (dropped.Count > 0)
        {
            var mappedTo = await db.TasRoles.AsNoTracking().Where(t => t.EserRoleId == roleId).Select(t => new { t.Name, t.EserPermission }).ToListAsync(ct);
            var blocking = mappedTo.Where(t => dropped.Contains(t.EserPermission!, StringComparer.OrdinalIgnoreCase)).ToList();
            if (blocking.Count > 0)
            {
                throw new RoleCatalogRefusedException(
                    $"TAS role {string.Join(", ", blocking.Select(b => $"'{b.Name}' maps to '{b.EserPermission}'"))}. Map it to another permission before removing that permission.");
            }
        }

        var before = Snapshot(entity);
        entity.Code = role.Code;
        entity.Name = role.Name;
        entity.Description = role.Description;
        entity.Permissions = string.Join(EserRole.PermissionSeparator, role.Permissions);
        entity.GrantsIepForms = role.GrantsIepForms;
        entity.Level = role.Level;
        entity.MaxDurationDays = role.MaxDurationDays;
        await db.SaveChangesAsync(ct);
        await FinishAsync(db, transaction, caller, new AuditEntry("EserRole.Updated", nameof(EserRole), Id(roleId), null, before, Snapshot(entity)), ct);
    }

    /// <summary>Retires a role: no new request can name it; grants and requests that name it stay as they are.</summary>
    public Task RetireRoleAsync(Caller caller, int roleId, CancellationToken ct = default) => SetRetiredAsync(caller, roleId, true, ct);

    /// <summary>Offers a retired role again.</summary>
    public Task RestoreRoleAsync(Caller caller, int roleId, CancellationToken ct = default) => SetRetiredAsync(caller, roleId, false, ct);

    /// <summary>Removes a role that nothing names. A role any grant or request names is refused: retire it instead.</summary>
    public async Task RemoveRoleAsync(Caller caller, int roleId, CancellationToken ct = default)
    {
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        (await scopes.GetScopeAsync(db, caller.StaffMemberId, ct)).DemandStateAdministrator(Administer);

        await using var transaction = await db.BeginWriteAsync(ct);
        var entity = await FindAsync(db, roleId, ct);
        var grants = await db.AccessGrants.CountAsync(g => g.EserRoleId == roleId, ct);
        var requests = await db.AccessRequests.CountAsync(r => r.EserRoleId == roleId, ct);
        if (grants > 0 || requests > 0)
        {
            throw new RoleCatalogRefusedException(
                $"{entity.Name} is named by {Count(grants, "grant")} and {Count(requests, "request")}, which keep their history: retire it instead.");
        }
        var mapped = await db.TasRoles.AsNoTracking().Where(t => t.EserRoleId == roleId).Select(t => t.Name).ToListAsync(ct);
        if (mapped.Count > 0)
        {
            throw new RoleCatalogRefusedException(
                $"TAS role{(mapped.Count == 1 ? "" : "s")} {string.Join(", ", mapped.Select(m => $"'{m}'"))} map{(mapped.Count == 1 ? "s" : "")} to {entity.Name}. Map {(mapped.Count == 1 ? "it" : "them")} elsewhere first.");
        }
        var before = Snapshot(entity);
        db.EserRoles.Remove(entity);
        await db.SaveChangesAsync(ct);
        await FinishAsync(db, transaction, caller, new AuditEntry("EserRole.Removed", nameof(EserRole), Id(roleId), null, before, null), ct);
    }

    /// <summary>Every TAS role by name with its mapping and how many TAS rows name it; unmapped ones only when asked.</summary>
    public async Task<IReadOnlyList<TasRoleRow>> ListTasRolesAsync(Caller caller, bool unmappedOnly = false, CancellationToken ct = default)
    {
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        (await scopes.GetScopeAsync(db, caller.StaffMemberId, ct)).DemandStateAdministrator("see the TAS role mapping");
        var query = db.TasRoles.AsNoTracking();
        if (unmappedOnly)
        {
            query = query.Where(t => t.EserRoleId == null);
        }
        var rows = await query
            .Select(t => new TasRoleRow(t.Id, t.Name, t.EserRoleId, t.EserRole != null ? t.EserRole.Name : null, t.EserPermission,
                t.EserRole != null && t.EserRole.IsRetired, db.LegacySerAccess.Count(l => l.TasRoleId == t.Id)))
            .ToListAsync(ct);
        return rows.OrderBy(r => r.Name, StringComparer.CurrentCultureIgnoreCase).ToList();
    }

    /// <summary>Maps a TAS role to exactly one eSER role and one of that role's permissions, replacing any earlier mapping.</summary>
    public async Task MapTasRoleAsync(Caller caller, int tasRoleId, int eserRoleId, string permission, CancellationToken ct = default)
    {
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        (await scopes.GetScopeAsync(db, caller.StaffMemberId, ct)).DemandStateAdministrator(Administer);

        await using var transaction = await db.BeginWriteAsync(ct);
        var tasRole = await db.TasRoles.Include(t => t.EserRole).SingleOrDefaultAsync(t => t.Id == tasRoleId, ct)
            ?? throw new RoleCatalogRefusedException("That TAS role does not exist.");
        var role = await FindAsync(db, eserRoleId, ct);
        if (role.IsRetired)
        {
            throw new RoleCatalogRefusedException($"{role.Name} is retired; map '{tasRole.Name}' to a role that is offered.");
        }
        var permissions = EserRole.SplitPermissions(role.Permissions);
        var chosen = permissions.FirstOrDefault(p => string.Equals(p, permission?.Trim(), StringComparison.OrdinalIgnoreCase))
            ?? throw new RoleCatalogRefusedException(
                $"'{permission}' is not a permission of {role.Name}. Choose one of: {string.Join(", ", permissions)}.");
        if (tasRole.EserRoleId == role.Id && tasRole.EserPermission == chosen)
        {
            return;
        }
        var before = MappingSnapshot(tasRole.EserRole?.Name, tasRole.EserPermission);
        tasRole.EserRoleId = role.Id;
        tasRole.EserPermission = chosen;
        await db.SaveChangesAsync(ct);
        await FinishAsync(db, transaction, caller,
            new AuditEntry("TasRole.Mapped", nameof(TasRole), Id(tasRoleId), null, before, new { tasRole = tasRole.Name, role = role.Name, permission = chosen }), ct);
    }

    /// <summary>Leaves a TAS role unmapped: its people get no suggested eSER role until it is mapped again.</summary>
    public async Task UnmapTasRoleAsync(Caller caller, int tasRoleId, CancellationToken ct = default)
    {
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        (await scopes.GetScopeAsync(db, caller.StaffMemberId, ct)).DemandStateAdministrator(Administer);

        await using var transaction = await db.BeginWriteAsync(ct);
        var tasRole = await db.TasRoles.Include(t => t.EserRole).SingleOrDefaultAsync(t => t.Id == tasRoleId, ct)
            ?? throw new RoleCatalogRefusedException("That TAS role does not exist.");
        if (tasRole.EserRoleId is null)
        {
            return;
        }
        var before = MappingSnapshot(tasRole.EserRole?.Name, tasRole.EserPermission);
        tasRole.EserRoleId = null;
        tasRole.EserPermission = null;
        await db.SaveChangesAsync(ct);
        await FinishAsync(db, transaction, caller,
            new AuditEntry("TasRole.Unmapped", nameof(TasRole), Id(tasRoleId), null, before, new { tasRole = tasRole.Name, role = (string?)null }), ct);
    }

    private async Task SetRetiredAsync(Caller caller, int roleId, bool retired, CancellationToken ct)
    {
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        (await scopes.GetScopeAsync(db, caller.StaffMemberId, ct)).DemandStateAdministrator(Administer);

        await using var transaction = await db.BeginWriteAsync(ct);
        var entity = await FindAsync(db, roleId, ct);
        if (entity.IsRetired == retired)
        {
            return;
        }
        entity.IsRetired = retired;
        await db.SaveChangesAsync(ct);
        await FinishAsync(db, transaction, caller, new AuditEntry(retired ? "EserRole.Retired" : "EserRole.Restored", nameof(EserRole),
            Id(roleId), null, new { name = entity.Name, isRetired = !retired }, new { name = entity.Name, isRetired = retired }), ct);
    }

    private async Task FinishAsync(
        EserSecurityDbContext db, Microsoft.EntityFrameworkCore.Storage.IDbContextTransaction transaction, Caller caller, AuditEntry entry, CancellationToken ct)
    {
        var now = clock.GetUtcNow();
        await AuditLog.AppendAsync(db, caller, now, entry, ct);
        await transaction.CommitAsync(ct);
        changes.Publish(new AccessChange(AccessChangeKind.RoleCatalogChanged, null, null, null, caller.StaffMemberId, now));
    }

    /// <summary>Trims and checks every field, naming each problem; the first problem found is refused.</summary>
    private static EserRoleEdit Validate(EserRoleEdit edit)
    {
        var code = (edit.Code ?? "").Trim().ToUpperInvariant();
        var name = (edit.Name ?? "").Trim();
        var description = (edit.Description ?? "").Trim();
        var permissions = (edit.Permissions ?? []).Select(p => (p ?? "").Trim()).Where(p => p.Length > 0).ToList();
        var problems = new List<string>();
        if (code.Length == 0)
        {
            problems.Add("the code is required");
        }
        else if (code.Length > EserRole.CodeMaxLength || !CodePattern().IsMatch(code))
        {
            problems.Add($"the code '{code}' must be up to {EserRole.CodeMaxLength} capital letters, digits, '_' or '-'");
        }
        Require(problems, "name", name, EserRole.NameMaxLength);
        if (TextRules.NameProblem(name, "the name") is { } unsafeName)
        {
            problems.Add(char.ToLowerInvariant(unsafeName[0]) + unsafeName[1..^1]);
        }
        Require(problems, "description", description, EserRole.DescriptionMaxLength);
        if (Grants.GrantTerm.DurationProblem(edit.MaxDurationDays) is { } duration)
        {
            problems.Add(char.ToLowerInvariant(duration[0]) + duration[1..^1]);
        }
        if (description.Length <= EserRole.DescriptionMaxLength
            && TextRules.ProseProblem(description, "the description", EserRole.DescriptionMaxLength) is { } unsafeDescription)
        {
            problems.Add(char.ToLowerInvariant(unsafeDescription[0]) + unsafeDescription[1..^1]);
        }
        if (permissions.Count == 0)
        {
            problems.Add("at least one permission is required");
        }
        foreach (var permission in permissions.Where(p => p.Contains(';', StringComparison.Ordinal) || p.Length > EserRole.NameMaxLength))
        {
            problems.Add($"the permission '{permission}' must be up to {EserRole.NameMaxLength} characters without ';'");
        }
        var repeated = permissions.GroupBy(p => p, StringComparer.OrdinalIgnoreCase).Where(g => g.Count() > 1).Select(g => g.Key).ToList();
        if (repeated.Count > 0)
        {
            problems.Add($"the permission{(repeated.Count == 1 ? "" : "s")} {string.Join(", ", repeated.Select(r => $"'{r}'"))} {(repeated.Count == 1 ? "is" : "are")} listed twice");
        }
        if (string.Join(EserRole.PermissionSeparator, permissions).Length > EserRole.PermissionsMaxLength)
        {
            problems.Add($"the permissions together must stay within {EserRole.PermissionsMaxLength} characters");
        }
        if (!Enum.IsDefined(edit.Level))
        {
            problems.Add("the level must be school or school system");
        }
        if (problems.Count > 0)
        {
            var text = string.Join("; ", problems);
            throw new RoleCatalogRefusedException(char.ToUpperInvariant(text[0]) + text[1..] + ".");
        }
        return new EserRoleEdit(code, name, description, permissions, edit.GrantsIepForms, edit.Level, edit.MaxDurationDays);
    }

    private static void Require(List<string> problems, string field, string value, int maxLength)
    {
        if (value.Length == 0)
        {
            problems.Add($"the {field} is required");
        }
        else if (value.Length > maxLength)
        {
            problems.Add($"the {field} is {value.Length} characters; keep it to {maxLength}");
        }

    }

    private static async Task DemandUniqueAsync(EserSecurityDbContext db, EserRoleEdit role, int? exceptId, CancellationToken ct)
    {
        var others = await db.EserRoles.AsNoTracking().Where(r => r.Id != exceptId).Select(r => new { r.Code, r.Name }).ToListAsync(ct);
        if (others.Any(o => string.Equals(o.Code, role.Code, StringComparison.OrdinalIgnoreCase)))
        {
            throw new RoleCatalogRefusedException($"Another role already has the code {role.Code}.");
        }
        if (others.Any(o => string.Equals(o.Name, role.Name, StringComparison.CurrentCultureIgnoreCase)))
        {
            throw new RoleCatalogRefusedException($"Another role is already called {role.Name}.");
        }
    }

    private static async Task<bool> IsReferencedAsync(EserSecurityDbContext db, int roleId, CancellationToken ct) =>
        await db.AccessGrants.AnyAsync(g => g.EserRoleId == roleId, ct) || await db.AccessRequests.AnyAsync(r => r.EserRoleId == roleId, ct);

    private static async Task<EserRole> FindAsync(EserSecurityDbContext db, int roleId, CancellationToken ct) =>
        await db.EserRoles.SingleOrDefaultAsync(r => r.Id == roleId, ct)
        ?? throw new RoleCatalogRefusedException("That eSER role does not exist.");

    private static object Snapshot(EserRole role) => new
    {
        code = role.Code,
        name = role.Name,
        description = role.Description,
        permissions = role.Permissions,
        grantsIepForms = role.GrantsIepForms,
        level = role.Level.ToString(),
        isRetired = role.IsRetired,
        maxDurationDays = role.MaxDurationDays,
    };

    private static object MappingSnapshot(string? roleName, string? permission) => new { role = roleName, permission };

    private static string LevelText(RoleLevel level) => level == RoleLevel.School ? "at a school" : "for a whole school system";

    private static string Count(int n, string noun) => $"{n.ToString("N0", CultureInfo.InvariantCulture)} {noun}{(n == 1 ? "" : "s")}";

    private static string Id(int id) => id.ToString(CultureInfo.InvariantCulture);

    [GeneratedRegex("^[A-Z0-9][A-Z0-9_-]*$")]
    private static partial Regex CodePattern();
}
