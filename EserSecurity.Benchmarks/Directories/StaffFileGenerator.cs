using System.Globalization;
using System.Text;
using EserSecurity.Core.Data;
using EserSecurity.Core.Staff;
using Microsoft.EntityFrameworkCore;

namespace EserSecurity.Benchmarks.Directories;

/// <summary>
/// Writes a staff directory extract of a given number of rows over the directory already in the database, as a state
/// would export it (UTF-8 with a byte order mark, CRLF, names quoted where needed): every person of a school system
/// first, most unchanged and some with a new position, on leave, ended or at other schools; then new people up to the
/// row count. Deterministic: the same database and row count give the same file.
/// </summary>
internal static class StaffFileGenerator
{
    private const int Seed = 20261205;

    private static readonly string[] LastNames = ["Thibodeaux, Renée", "Broussard", "Landry", "O'Neil", "Hébert", "Guidry", "Fontenot", "Nguyen", "Williams", "Johnson"];
    private static readonly string[] FirstNames = ["Amélie", "James", "Marie", "Luc", "Ana", "Chloé", "Daniel", "Grace", "Thanh", "Robert"];

    public sealed record GeneratedFile(byte[] Bytes, int Existing, int New, IReadOnlyList<RawRow> Rows);

    /// <summary>A row as the raw loop inserts it: the values a staff record of the row holds.</summary>
    public sealed record RawRow(string StaffId, string FirstName, string LastName, string Email, string Position, string? Username, int SchoolSystemId, string Status, string? EndedOn);

    public static async Task<GeneratedFile> GenerateAsync(EserSecurityDbContext db, int rows, CancellationToken ct)
    {
        var systems = await db.SchoolSystems.AsNoTracking().OrderBy(s => s.Id).Select(s => new { s.Id, s.Code }).ToListAsync(ct);
        var sites = (await db.Schools.AsNoTracking().Select(s => new { s.SchoolSystemId, s.Id, s.SiteCode }).ToListAsync(ct))
            .GroupBy(s => s.SchoolSystemId).ToDictionary(g => g.Key, g => g.OrderBy(s => s.SiteCode).Select(s => (s.Id, s.SiteCode)).ToArray());
        var staff = await db.StaffMembers.AsNoTracking().Where(s => s.SchoolSystemId != null).OrderBy(s => s.Id)
            .Select(s => new
            {
                s.StaffId, s.LastName, s.FirstName, s.Email, s.Position, s.Username, SchoolSystemId = s.SchoolSystemId!.Value, s.EmploymentStatus, s.EmploymentEndedOn,
                Sites = s.Schools.Select(x => x.School!.SiteCode).ToList(),
            })
            .ToListAsync(ct);
        var codeOf = systems.ToDictionary(s => s.Id, s => s.Code);
        var random = new Random(Seed);
        var csv = new StringBuilder(rows * 130);
        var raw = new List<RawRow>(rows);
        csv.Append("Staff ID,Last Name,First Name,Email,LEA Code,Site Codes,Position,Employment Status,Status Date,Sign-on Username\r\n");

        void Append(RawRow r, string siteCodes)
        {
            csv.Append(r.StaffId).Append(',').Append(Quote(r.LastName)).Append(',').Append(Quote(r.FirstName)).Append(',').Append(Quote(r.Email)).Append(',')
                .Append(codeOf[r.SchoolSystemId]).Append(',').Append(siteCodes).Append(',').Append(Quote(r.Position)).Append(',').Append(r.Status).Append(',')
                .Append(r.EndedOn ?? (r.Status == "Active" ? "" : "2026-11-20")).Append(',').Append(r.Username ?? "").Append("\r\n");
            raw.Add(r);
        }

        var existing = 0;
        foreach (var p in staff.Take(rows))
        {
            var status = p.EmploymentStatus.ToString();
            var position = p.Position;
            var siteCodes = string.Join(';', p.Sites.Order(StringComparer.Ordinal));
            string? endedOn = p.EmploymentEndedOn?.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);
            if (p.EmploymentStatus == EmploymentStatus.Active)
            {
                switch (existing % 100)
                {
                    case < 5:
                        position = "Lead " + position;
                        break;
                    case 5:
                        status = "Leave";
                        break;
                    case 6:
                        status = "Ended";
                        endedOn = "2026-11-20";
                        break;
                    case 7 when sites.TryGetValue(p.SchoolSystemId, out var own) && own.Length > 1:
                        siteCodes = own[random.Next(own.Length)].SiteCode;
                        break;
                }
            }
            Append(new RawRow(p.StaffId, p.FirstName, p.LastName, p.Email, position, p.Username, p.SchoolSystemId, status, endedOn), siteCodes);
            existing++;
        }

        var withSchools = systems.Where(s => sites.ContainsKey(s.Id)).Select(s => s.Id).ToArray();
        for (var k = 1; raw.Count < rows; k++)
        {
            var lea = withSchools[random.Next(withSchools.Length)];
            var own = sites[lea];
            var first = own[random.Next(own.Length)].SiteCode;
            var second = random.Next(4) == 0 ? own[random.Next(own.Length)].SiteCode : first;
            var siteCodes = first == second ? first : $"{first};{second}";
            var staffId = (800_000_000 + k).ToString(CultureInfo.InvariantCulture);
            Append(new RawRow(staffId, FirstNames[random.Next(FirstNames.Length)], LastNames[random.Next(LastNames.Length)], $"staff{k}@example.org",
                "Teacher", $"new.staff{k}", lea, "Active", null), siteCodes);
        }
        var bytes = Encoding.UTF8.GetBytes(csv.ToString());
        return new GeneratedFile([.. Encoding.UTF8.Preamble, .. bytes], existing, rows - existing, raw);
    }

    private static string Quote(string value) =>
        value.AsSpan().IndexOfAny(",\"\r\n") < 0 ? value : "\"" + value.Replace("\"", "\"\"", StringComparison.Ordinal) + "\"";
}
