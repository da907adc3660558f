using EserSecurity.Core.Audit;
using EserSecurity.Core.Changes;
using EserSecurity.Core.Directories;
using EserSecurity.Core.Security;
using EserSecurity.Tests.Support;
using Microsoft.EntityFrameworkCore;

namespace EserSecurity.Tests.Core.Directories;

/// <summary>The school directory: new and renamed school systems and schools, closing and reopening, and who may import it.</summary>
public sealed class SchoolDirectoryImportTests
{
    [Fact]
    public async Task Preview_SortsRows_AndCommit_CreatesRenamesClosesAndReopens_WithoutDeleting_AndTheSameFileAgainWritesNothing()
    {
        await using var database = await TestDatabase.CreateAsync();
        var s = await TestState.CreateAsync(database);
        var service = database.Get<SchoolDirectoryImportService>();
        var admin = TestState.CallerFor(s.StateAdmin);
        using var recorder = new ChangeRecorder(database.Get<IAccessChangeFeed>());
        var csv = DirectoryCsv.Schools()
            .Row("101", "Alpha Parish School District", "101001", "Alpha Elementary", "Open")  // 2 updated: LEA renamed
            .Row("101", "Alpha Parish School District", "101002", "Alpha Middle", "Closed")    // 3 closed
            .Row("101", "Alpha Parish School District", "101003", "Alpha Senior High", "Open") // 4 updated: school renamed
            .Row("303", "Charlie Charter", "303001", "Charlie Academy", "Open")                // 5 new school system and school
            .Row("202", "Bravo City Schools", "202001", "Bravo Elementary", "Open")            // 6 unchanged
            .Row("202", "Bravo City Schools", "202001", "Bravo Elementary", "Open")            // 7 duplicate
            .Row("202", "Bravo City Schools", "101004", "Misplaced", "Open")                   // 8 invalid: site of another LEA
            .Row("202", "Bravo City Schools", "202002", "Bravo Middle", "Maybe");              // 9 invalid status

        var preview = await service.PreviewAsync(admin, csv.ToStream());

        int[] Lines(DirectoryRowCategory category) => preview.In(category).Select(r => r.LineNumber).ToArray();
        Assert.Equal([2, 4], Lines(DirectoryRowCategory.Updated));
        Assert.Equal([3], Lines(DirectoryRowCategory.Closed));
        Assert.Equal([5], Lines(DirectoryRowCategory.New));
        Assert.Equal([6], Lines(DirectoryRowCategory.Unchanged));
        Assert.Equal([7], Lines(DirectoryRowCategory.DuplicateInFile));
        Assert.Equal([8, 9], Lines(DirectoryRowCategory.Invalid));
        Assert.Equal([new DirectoryFieldChange("LEA Name", "Alpha Parish Schools", "Alpha Parish School District")], preview.Rows[0].Changes);
        Assert.Equal([new DirectoryFieldChange("School Name", "Alpha High", "Alpha Senior High")], preview.Rows[2].Changes);
        await Assert.ThrowsAsync<DirectoryImportRefusedException>(() => service.CommitAsync(admin, csv.ToStream()));

        var clean = DirectoryCsv.Schools()
            .Row("101", "Alpha Parish School District", "101001", "Alpha Elementary", "Open")
            .Row("101", "Alpha Parish School District", "101002", "Alpha Middle", "Closed")
            .Row("101", "Alpha Parish School District", "101003", "Alpha Senior High", "Open")
            .Row("303", "Charlie Charter", "303001", "Charlie Academy", "Open")
            .Row("202", "Bravo City Schools", "202001", "Bravo Elementary", "Open");
        var result = await service.CommitAsync(admin, clean.ToStream());

        Assert.Equal((2, 3, 1), (result.Created, result.Updated, result.Ended));
        await using (var db = await database.OpenAsync())
        {
            Assert.Equal("Alpha Parish School District", (await db.SchoolSystems.SingleAsync(x => x.Id == s.LeaA.Id)).Name);
            Assert.Equal(new DateOnly(2026, 11, 28), (await db.Schools.SingleAsync(x => x.Id == s.A2.Id)).ClosedOn);
            Assert.Equal("Alpha Senior High", (await db.Schools.SingleAsync(x => x.Id == s.A3.Id)).Name);
            var charlie = await db.SchoolSystems.Include(x => x.Schools).SingleAsync(x => x.Code == "303");
            Assert.Equal(("Charlie Charter", "Charlie Academy"), (charlie.Name, Assert.Single(charlie.Schools).Name));
            Assert.Equal("SchoolDirectory.Imported", Assert.Single(await db.AuditEvents.ToListAsync()).Action);
        }
        await recorder.WaitForAsync(c => c.Kind == AccessChangeKind.SchoolDirectoryChanged && c.SchoolSystemId == s.LeaA.Id);

        var again = await service.CommitAsync(admin, clean.ToStream());
        Assert.False(again.Changed);

        database.Clock.Advance(TimeSpan.FromDays(3));
        var reopened = await service.PreviewAsync(admin, DirectoryCsv.Schools().Row("101", "Alpha Parish School District", "101002", "Alpha Middle", "Open").ToStream());
        Assert.Equal(DirectoryRowCategory.Reopened, Assert.Single(reopened.Rows).Category);
        await service.CommitAsync(admin, DirectoryCsv.Schools().Row("101", "Alpha Parish School District", "101002", "Alpha Middle", "Open").ToStream());
        await using (var db = await database.OpenAsync())
        {
            Assert.Null((await db.Schools.SingleAsync(x => x.Id == s.A2.Id)).ClosedOn);
            Assert.Equal(2, await db.AuditEvents.CountAsync());
            Assert.Equal(5, await db.Schools.CountAsync());
        }
    }

    [Fact]
    public async Task OnlyStateAdministrators_MayImportTheSchoolDirectory()
    {
        await using var database = await TestDatabase.CreateAsync();
        var s = await TestState.CreateAsync(database);
        var service = database.Get<SchoolDirectoryImportService>();
        var csv = DirectoryCsv.Schools().Row("101", "Alpha Parish Schools", "101009", "Alpha New", "Open");

        await Assert.ThrowsAsync<ScopeDeniedException>(() => service.PreviewAsync(TestState.CallerFor(s.DistrictA), csv.ToStream()));
        await Assert.ThrowsAsync<ScopeDeniedException>(() => service.CommitAsync(TestState.CallerFor(s.DistrictA), csv.ToStream()));
        await using var db = await database.OpenAsync();
        Assert.Equal(0, await db.Set<AuditEvent>().CountAsync());
    }
}
