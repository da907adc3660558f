using System.Globalization;
using System.Text;
using EserSecurity.Core.Data;
using Microsoft.EntityFrameworkCore;

namespace EserSecurity.Benchmarks.Import;

/// <summary>
/// Writes a TAS "User Report by Application" of a given number of rows over the staff directory already in the
/// database, as a state would export it (UTF-8 with a byte order mark, CRLF, names quoted where needed): every row a
/// person's SER role at one of their schools, or without a site, that the database does not record yet, so a commit
/// adds them all. Deterministic: the same database and row count give the same file.
/// </summary>
internal static class UserReportGenerator
{
    private const int Seed = 20220620;

    public static async Task<byte[]> GenerateAsync(EserSecurityDbContext db, int rows, CancellationToken ct)
    {
        var staff = await db.StaffMembers.AsNoTracking().Where(s => s.SchoolSystemId != null).OrderBy(s => s.Id)
            .Select(s => new
            {
                s.Id, s.StaffId, s.LastName, s.FirstName, s.Email, s.SchoolSystemId,
                LeaCode = s.SchoolSystem!.Code,
                Sites = s.Schools.Select(x => new { x.SchoolId, x.School!.SiteCode }).ToList(),
            })
            .ToListAsync(ct);
        var tasRoles = await db.TasRoles.AsNoTracking().OrderBy(t => t.Id).Select(t => new { t.Id, t.Name }).ToListAsync(ct);
        var recorded = (await db.LegacySerAccess.AsNoTracking().Select(l => new { l.StaffMemberId, l.SchoolId, l.TasRoleId }).ToListAsync(ct))
            .Select(l => (l.StaffMemberId, l.SchoolId ?? 0, l.TasRoleId)).ToHashSet();

        // Each person's possible rows (a site or none, times every TAS role) in a shuffled order; people take turns.
        var random = new Random(Seed);
        var candidates = staff.Select(s =>
        {
            var sites = s.Sites.Select(x => new Site(x.SchoolId, x.SiteCode)).Prepend(new Site(0, "")).ToList();
            var keys = sites.SelectMany(site => tasRoles.Select(role => new Candidate(site, role.Name, role.Id)))
                .Where(k => !recorded.Contains((s.Id, k.Site.SchoolId, k.RoleId)))
                .ToArray();
            random.Shuffle(keys);
            return new Queue<Candidate>(keys);
        }).ToList();

        var csv = new StringBuilder(rows * 110);
        csv.Append("Staff ID,Last Name,First Name,Email,LEA code,Site code,Application,TAS Role,Status\r\n");
        var written = 0;
        while (written < rows)
        {
            var progressed = false;
            for (var i = 0; i < staff.Count && written < rows; i++)
            {
                if (!candidates[i].TryDequeue(out var key))
                {
                    continue;
                }
                var person = staff[i];
                csv.Append(person.StaffId).Append(',').Append(Quote(person.LastName)).Append(',').Append(Quote(person.FirstName)).Append(',')
                    .Append(Quote(person.Email)).Append(',').Append(person.LeaCode).Append(',').Append(key.Site.SiteCode).Append(",SER,")
                    .Append(Quote(key.Role)).Append(",Active\r\n");
                written++;
                progressed = true;
            }
            if (!progressed)
            {
                throw new InvalidOperationException(
                    $"The directory offers only {written.ToString("N0", CultureInfo.InvariantCulture)} new rows; ask for fewer.");
            }
        }
        return [.. Encoding.UTF8.Preamble, .. Encoding.UTF8.GetBytes(csv.ToString())];
    }

    private sealed record Site(int SchoolId, string SiteCode);

    private sealed record Candidate(Site Site, string Role, int RoleId);

    private static string Quote(string value) =>
        value.AsSpan().IndexOfAny(",\"\r\n") < 0 ? value : "\"" + value.Replace("\"", "\"\"", StringComparison.Ordinal) + "\"";
}
