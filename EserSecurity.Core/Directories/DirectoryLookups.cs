using EserSecurity.Core.Data;
using EserSecurity.Core.Staff;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata;
using Microsoft.EntityFrameworkCore.Storage;

namespace EserSecurity.Core.Directories;

internal sealed record KnownSchoolSystem(int Id, string Code, string Name);

internal sealed record KnownSchool(int Id, int SchoolSystemId, string SiteCode, string Name, DateOnly? ClosedOn);

/// <summary>A staff record as the checker compares it with a row; <see cref="SchoolIds"/> is sorted.</summary>
internal sealed record KnownPerson(
    int Id, string StaffId, string FirstName, string LastName, string Email, string Position, string? Username, int? SchoolSystemId,
    EmploymentStatus Status, DateOnly? EndedOn, int[] SchoolIds);

/// <summary>The school systems, schools and staff a directory file is checked against, each loaded once into a dictionary.</summary>
internal sealed class DirectoryLookups
{
    public required Dictionary<string, KnownSchoolSystem> SchoolSystemsByCode { get; init; }

    public required Dictionary<int, KnownSchoolSystem> SchoolSystemsById { get; init; }

    public required Dictionary<string, KnownSchool> SchoolsBySiteCode { get; init; }

    public required Dictionary<int, KnownSchool> SchoolsById { get; init; }

    /// <summary>Every staff record by Staff ID; empty for a school file.</summary>
    public Dictionary<string, KnownPerson> StaffByStaffId { get; init; } = new(StringComparer.Ordinal);

    /// <summary>The staff record that holds each sign-on username; empty for a school file.</summary>
    public Dictionary<string, int> StaffIdByUsername { get; init; } = new(StringComparer.Ordinal);

    public static async Task<DirectoryLookups> LoadAsync(EserSecurityDbContext db, bool withStaff, CancellationToken ct)
    {
        var systems = await db.SchoolSystems.AsNoTracking().Select(s => new KnownSchoolSystem(s.Id, s.Code, s.Name)).ToListAsync(ct);
        var schools = await db.Schools.AsNoTracking()
            .Select(s => new KnownSchool(s.Id, s.SchoolSystemId, s.SiteCode, s.Name, s.ClosedOn)).ToListAsync(ct);
        var lookups = new DirectoryLookups
        {
            SchoolSystemsByCode = systems.ToDictionary(s => s.Code, StringComparer.Ordinal),
            SchoolSystemsById = systems.ToDictionary(s => s.Id),
            SchoolsBySiteCode = schools.ToDictionary(s => s.SiteCode, StringComparer.Ordinal),
            SchoolsById = schools.ToDictionary(s => s.Id),
            StaffByStaffId = new Dictionary<string, KnownPerson>(withStaff ? 1024 : 0, StringComparer.Ordinal),
        };
        if (!withStaff)
        {
            return lookups;
        }

        // Read straight from the data reader: tens of thousands of rows, where EF's materialisation costs more than the query.
        var connection = db.Database.GetDbConnection();
        await db.Database.OpenConnectionAsync(ct);
        try
        {
            var transaction = db.Database.CurrentTransaction?.GetDbTransaction();
            var schoolsOf = new Dictionary<int, List<int>>();
            await using (var links = connection.CreateCommand())
            {
                links.Transaction = transaction;
                links.CommandText = $"SELECT {Column<StaffSchool>(db, nameof(StaffSchool.StaffMemberId))}, {Column<StaffSchool>(db, nameof(StaffSchool.SchoolId))} FROM {Table<StaffSchool>(db)}";
                await using var reader = await links.ExecuteReaderAsync(ct);
                while (await reader.ReadAsync(ct))
                {
                    var staffMemberId = reader.GetInt32(0);
                    if (!schoolsOf.TryGetValue(staffMemberId, out var list))
                    {
                        schoolsOf[staffMemberId] = list = new List<int>(2);
                    }
                    list.Add(reader.GetInt32(1));
                }
            }
            string C(string property) => Column<StaffMember>(db, property);
            await using var people = connection.CreateCommand();
            people.Transaction = transaction;
            people.CommandText = $"SELECT {C(nameof(StaffMember.Id))}, {C(nameof(StaffMember.StaffId))}, {C(nameof(StaffMember.FirstName))}, " +
                $"{C(nameof(StaffMember.LastName))}, {C(nameof(StaffMember.Email))}, {C(nameof(StaffMember.Position))}, {C(nameof(StaffMember.Username))}, " +
                $"{C(nameof(StaffMember.SchoolSystemId))}, {C(nameof(StaffMember.EmploymentStatus))}, {C(nameof(StaffMember.EmploymentEndedOn))} FROM {Table<StaffMember>(db)}";
            await using var rows = await people.ExecuteReaderAsync(ct);
            while (await rows.ReadAsync(ct))
            {
                var id = rows.GetInt32(0);
                var schoolIds = schoolsOf.TryGetValue(id, out var list) ? list.ToArray() : [];
                Array.Sort(schoolIds);
                var username = rows.IsDBNull(6) ? null : rows.GetString(6);
                var person = new KnownPerson(id, rows.GetString(1), rows.GetString(2), rows.GetString(3), rows.GetString(4), rows.GetString(5), username,
                    rows.IsDBNull(7) ? null : rows.GetInt32(7), Enum.Parse<EmploymentStatus>(rows.GetString(8)),
                    rows.IsDBNull(9) ? null : rows.GetFieldValue<DateOnly>(9), schoolIds);
                lookups.StaffByStaffId[person.StaffId] = person;
                if (username is not null)
                {
                    lookups.StaffIdByUsername[username] = id;
                }
            }
        }
        finally
        {
            await db.Database.CloseConnectionAsync();
        }
        return lookups;
    }

    internal static string Table<T>(EserSecurityDbContext db) => Quote(db.Model.FindEntityType(typeof(T))!.GetTableName()!);

    internal static string Column<T>(EserSecurityDbContext db, string property)
    {
        var entity = db.Model.FindEntityType(typeof(T))!;
        var table = StoreObjectIdentifier.Table(entity.GetTableName()!, entity.GetSchema());
        return Quote(entity.FindProperty(property)!.GetColumnName(table)!);
    }

    private static string Quote(string identifier) => $"\"{identifier.Replace("\"", "\"\"", StringComparison.Ordinal)}\"";
}
