using EserSecurity.Core.Directories;
using EserSecurity.Core.Security;
using EserSecurity.Tests.Support;

namespace EserSecurity.Tests.Core.Directories;

/// <summary>A person's record found by Staff ID: the same record and the same refusal as by the record's id.</summary>
public sealed class PersonRecordByStaffIdTests
{
    [Fact]
    public async Task ByStaffId_GivesTheSameRecordAsById_WithinScope()
    {
        await using var database = await TestDatabase.CreateAsync();
        var s = await TestState.CreateAsync(database);
        var caller = TestState.CallerFor(s.DistrictA);

        var byStaffId = await database.Get<PersonRecordByStaffId>().GetPersonAsync(caller, $" {s.UserA3.StaffId} ");
        var byId = await database.Get<DirectoryRecords>().GetPersonAsync(caller, s.UserA3.Id);

        Assert.Equal((byId.StaffMemberId, byId.StaffId, byId.Email), (byStaffId.StaffMemberId, byStaffId.StaffId, byStaffId.Email));
    }

    [Fact]
    public async Task UnknownStaffId_MalformedStaffId_AndPersonOutOfScope_AllGetTheSameRefusal()
    {
        await using var database = await TestDatabase.CreateAsync();
        var s = await TestState.CreateAsync(database);
        var lookup = database.Get<PersonRecordByStaffId>();
        var caller = TestState.CallerFor(s.DistrictB);

        var unknown = await Assert.ThrowsAsync<ScopeDeniedException>(() => lookup.GetPersonAsync(caller, "123456789"));
        var malformed = await Assert.ThrowsAsync<ScopeDeniedException>(() => lookup.GetPersonAsync(caller, "12AB"));
        var outOfScope = await Assert.ThrowsAsync<ScopeDeniedException>(() => lookup.GetPersonAsync(caller, s.UserA1.StaffId));

        Assert.Equal(outOfScope.Message, unknown.Message);
        Assert.Equal(outOfScope.Message, malformed.Message);
    }
}
