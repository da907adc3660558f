using EserSecurity.Core.Changes;
using EserSecurity.Core.Directories;
using EserSecurity.Core.Security;
using EserSecurity.Core.Staff;
using EserSecurity.Tests.Support;

namespace EserSecurity.Tests.Core.Directories;

/// <summary>A person's directory record with its changes, who may read it, and which changes concern it.</summary>
public sealed class DirectoryRecordsTests
{
    [Fact]
    public async Task PersonRecord_ShowsTheDirectoryChanges_ToThoseWhoseScopeCoversThePerson()
    {
        await using var database = await TestDatabase.CreateAsync();
        var s = await TestState.CreateAsync(database);
        var csv = DirectoryCsv.Staff().Person(s.UserA3, "101", "101001", status: "Leave", statusDate: "2026-11-15");
        await database.Get<StaffDirectoryImportService>().CommitAsync(TestState.CallerFor(s.StateAdmin), csv.ToStream());
        var records = database.Get<DirectoryRecords>();

        var record = await records.GetPersonAsync(TestState.CallerFor(s.DistrictA), s.UserA3.Id);

        Assert.Equal((s.UserA3.StaffId, EmploymentStatus.Leave, "101"), (record.StaffId, record.EmploymentStatus, record.SchoolSystemCode));
        Assert.Equal(["101001"], record.Schools.Select(x => x.SiteCode));
        Assert.Equal(
            [StaffDirectoryChangeKind.EmploymentStatusChanged, StaffDirectoryChangeKind.SchoolsChanged],
            record.Changes.Select(c => c.Kind).Order());
        Assert.All(record.Changes, c => Assert.Equal((new DateOnly(2026, 11, 15), s.StateAdmin.FullName), (c.EffectiveOn, c.RecordedByName)));
        Assert.Equal(s.UserA3.Id, (await records.GetPersonAsync(TestState.CallerFor(s.UserA3), s.UserA3.Id)).StaffMemberId);
        Assert.Equal(s.UserA3.Id, (await records.GetPersonAsync(TestState.CallerFor(s.StateAdmin), s.UserA3.Id)).StaffMemberId);
        await Assert.ThrowsAsync<ScopeDeniedException>(() => records.GetPersonAsync(TestState.CallerFor(s.DistrictB), s.UserA3.Id));
        // Moved to school A1, the person is now in the local coordinator's group too.
        Assert.Equal(s.UserA3.Id, (await records.GetPersonAsync(TestState.CallerFor(s.LocalA), s.UserA3.Id)).StaffMemberId);
        await Assert.ThrowsAsync<ScopeDeniedException>(() => records.GetPersonAsync(TestState.CallerFor(s.UserA1), s.UserA3.Id));
        await Assert.ThrowsAsync<ScopeDeniedException>(() => records.GetPersonAsync(TestState.CallerFor(s.StateAdmin), 99_999));
    }

    [Fact]
    public void ConcernsPerson_AcceptsThatPersonsDirectoryChangesAndSchoolDirectoryChanges_Only()
    {
        var at = TestDatabase.DefaultNow;
        Assert.True(DirectoryRecords.ConcernsPerson(new AccessChange(AccessChangeKind.StaffDirectoryChanged, 1, null, null, 9, at, 42), 42));
        Assert.False(DirectoryRecords.ConcernsPerson(new AccessChange(AccessChangeKind.StaffDirectoryChanged, 1, null, null, 9, at, 43), 42));
        Assert.True(DirectoryRecords.ConcernsPerson(new AccessChange(AccessChangeKind.SchoolDirectoryChanged, 1, null, null, 9, at), 42));
        Assert.False(DirectoryRecords.ConcernsPerson(new AccessChange(AccessChangeKind.GrantCreated, 1, null, null, 9, at, 42), 42));
    }
}
