using System.Text;
using EserSecurity.Core.Changes;
using EserSecurity.Core.LocalDuties;
using EserSecurity.Core.SchoolSystems;
using EserSecurity.Core.Security;
using EserSecurity.Core.Staff;
using EserSecurity.Tests.Support;
using Microsoft.EntityFrameworkCore;

namespace EserSecurity.Tests.Core.LocalDuties;

public sealed class LocalDutiesServiceTests
{
    private static readonly byte[] Pdf = Encoding.ASCII.GetBytes("%PDF-1.7\n1 0 obj << >> endobj\ntrailer << >>\n%%EOF\n");

    private static Caller As(StaffMember person) => TestState.CallerFor(person);

    private static async Task<(TestDatabase Database, TestState State, LocalDutiesService Service)> ArrangeAsync()
    {
        var database = await TestDatabase.CreateAsync();
        return (database, await TestState.CreateAsync(database), database.Get<LocalDutiesService>());
    }

    [Fact]
    public async Task RecordPolicy_WithAPdf_StoresItInTheDatabase_AuditsAndPublishes_AndAnyoneWhoSeesTheSchoolSystemCanDownloadIt()
    {
        var (database, state, service) = await ArrangeAsync();
        await using var _ = database;
        using var recorder = new ChangeRecorder(database.Get<IAccessChangeFeed>());

        await service.RecordPolicyAsync(As(state.DistrictA), state.LeaA.Id,
            new LocalPolicyChange(new DateOnly(2026, 8, 3), true, new PolicyUpload("C:\\fakepath\\Alpha policy.pdf", Pdf)));

        var view = await service.GetAsync(As(state.SupervisorA), state.LeaA.Id);
        Assert.Equal((new DateOnly(2026, 8, 3), true, "Alpha policy.pdf", (string?)null),
            (view.PolicyAdoptedOn, view.IncludesIepSecurity, view.Document!.FileName, view.PolicyLink));
        Assert.False(view.CanRecord);
        var file = await service.GetPolicyDocumentAsync(As(state.SupervisorA), state.LeaA.Id);
        Assert.Equal("application/pdf", file.ContentType);
        Assert.Equal(Pdf, file.Content);
        await recorder.WaitForAsync(c => c.Kind == AccessChangeKind.LocalDutiesChanged && c.SchoolSystemId == state.LeaA.Id);
        await using var db = await database.OpenAsync();
        Assert.Equal("SchoolSystem.LocalPolicyRecorded", (await db.AuditEvents.SingleAsync()).Action);
    }

    [Fact]
    public async Task RecordPolicy_WithAnHttpsLink_ReplacesTheDocument()
    {
        var (database, state, service) = await ArrangeAsync();
        await using var _ = database;
        await service.RecordPolicyAsync(As(state.DistrictA), state.LeaA.Id, new LocalPolicyChange(new DateOnly(2026, 8, 3), true, new PolicyUpload("p.pdf", Pdf)));

        await service.RecordPolicyAsync(As(state.StateAdmin), state.LeaA.Id,
            new LocalPolicyChange(new DateOnly(2026, 9, 1), true, Link: " https://alpha.example.org/board/policy-7.pdf "));

        var view = await service.GetAsync(As(state.DistrictA), state.LeaA.Id);
        Assert.Equal(("https://alpha.example.org/board/policy-7.pdf", (PolicyDocumentInfo?)null), (view.PolicyLink, view.Document));
    }

    [Theory]
    [InlineData("notes.pdf", "Hello", null, "is not a PDF")]
    [InlineData("empty.pdf", "", null, "empty")]
    [InlineData(null, null, "http://alpha.example.org/policy", "https address")]
    [InlineData(null, null, "policy.pdf", "https address")]
    [InlineData(null, null, null, "Upload the written policy")]
    [InlineData("p.pdf", "%PDF-1.4", "https://alpha.example.org/policy", "not both")]
    public async Task RecordPolicy_WithBadInput_IsRefusedWithAClearMessage_AndChangesNothing(string? fileName, string? content, string? link, string expected)
    {
        var (database, state, service) = await ArrangeAsync();
        await using var _ = database;
        var upload = fileName is null ? null : new PolicyUpload(fileName, Encoding.ASCII.GetBytes(content!));

        var refused = await Assert.ThrowsAsync<LocalDutiesRefusedException>(() =>
            service.RecordPolicyAsync(As(state.DistrictA), state.LeaA.Id, new LocalPolicyChange(new DateOnly(2026, 8, 3), true, upload, link)));

        Assert.Contains(expected, refused.Message);
        await using var db = await database.OpenAsync();
        Assert.Null((await db.SchoolSystems.SingleAsync(s => s.Id == state.LeaA.Id)).SecurityPolicy.WrittenPolicyAdoptedOn);
        Assert.Equal(0, await db.AuditEvents.CountAsync());
    }

    [Fact]
    public async Task RecordPolicy_OverTheSizeLimit_IsRefusedNamingTheLimit()
    {
        var (database, state, service) = await ArrangeAsync();
        await using var _ = database;
        var large = new byte[LocalPolicyDocument.MaxBytes + 1];
        Pdf.CopyTo(large, 0);

        var refused = await Assert.ThrowsAsync<LocalDutiesRefusedException>(() => service.RecordPolicyAsync(As(state.DistrictA), state.LeaA.Id,
            new LocalPolicyChange(new DateOnly(2026, 8, 3), true, new PolicyUpload("big.pdf", large))));

        Assert.Contains("at most 5 MB", refused.Message);
    }

    [Fact]
    public async Task AddTrainingSession_WithAnAttendeeOfAnotherSchoolSystem_IsRefused()
    {
        var (database, state, service) = await ArrangeAsync();
        await using var _ = database;

        var refused = await Assert.ThrowsAsync<LocalDutiesRefusedException>(() =>
            service.AddTrainingSessionAsync(As(state.DistrictA), state.LeaA.Id, new DateOnly(2026, 9, 1), "IEP security", [state.UserA1.Id, state.UserB1.Id]));

        Assert.Contains("staff of this school system", refused.Message);
    }

    [Fact]
    public async Task Flags_NameWhatIsMissing_ThenClearOnceRecorded_AndReturnAfterTwelveMonths()
    {
        var (database, state, service) = await ArrangeAsync();
        await using var _ = database;
        var district = As(state.DistrictA);
        var today = DateOnly.FromDateTime(database.Clock.GetUtcNow().UtcDateTime);

        var before = (await service.GetAsync(district, state.LeaA.Id)).Status;
        Assert.Equal([LocalDutiesFlag.NoPolicy, LocalDutiesFlag.NoRemovalProcedure, LocalDutiesFlag.UntrainedPeople], before.Flags);
        Assert.Equal(["district alpha", "local alpha", "supervisor alpha"], before.UntrainedPeople);

        await service.RecordPolicyAsync(district, state.LeaA.Id, new LocalPolicyChange(today.AddDays(-30), true, Link: "https://alpha.example.org/policy"));
        await service.RecordRemovalProcedureAsync(district, state.LeaA.Id, today.AddDays(-20));
        await service.AddTrainingSessionAsync(district, state.LeaA.Id, today.AddDays(-10), "Protecting IEPs", [state.DistrictA.Id, state.LocalA.Id]);
        var partly = await service.GetAsync(district, state.LeaA.Id);
        Assert.Equal([LocalDutiesFlag.UntrainedPeople], partly.Status.Flags);
        Assert.Equal("supervisor alpha has no local training in the last 12 months", Assert.Single(partly.Status.Describe()));

        await service.AddTrainingSessionAsync(district, state.LeaA.Id, today.AddDays(-5), "Protecting IEPs", [state.SupervisorA.Id]);
        Assert.Empty((await service.GetAsync(district, state.LeaA.Id)).Status.Flags);

        database.Clock.Advance(TimeSpan.FromDays(356));
        var later = (await service.GetStatusesAsync(As(state.StateAdmin)))[state.LeaA.Id];
        Assert.Equal([LocalDutiesFlag.PolicyOutdated, LocalDutiesFlag.RemovalProcedureOutdated, LocalDutiesFlag.UntrainedPeople], later.Flags);
        Assert.Equal(["district alpha", "local alpha"], later.UntrainedPeople);
    }

    [Fact]
    public async Task Statuses_ReachTheSchoolSystemsList()
    {
        var (database, state, service) = await ArrangeAsync();
        await using var _ = database;

        var rows = (await database.Get<SchoolSystemService>().ListAsync(As(state.StateAdmin), null, false, 0, 50)).Items;

        Assert.All(rows, r => Assert.Contains(LocalDutiesFlag.NoPolicy, r.Duties!.Flags));
        Assert.Equal(rows.Count, (await service.GetStatusesAsync(As(state.StateAdmin))).Count);
        Assert.Equal([state.LeaA.Id], (await service.GetStatusesAsync(As(state.LocalA))).Keys);
    }

    [Theory]
    [InlineData(AccessChangeKind.LocalDutiesChanged, 1, true)]
    [InlineData(AccessChangeKind.AssignmentChanged, 1, true)]
    [InlineData(AccessChangeKind.LocalDutiesChanged, 2, false)]
    [InlineData(AccessChangeKind.RequestSubmitted, 1, false)]
    [InlineData(AccessChangeKind.SecurityPolicyChanged, 1, false)]
    public void ConcernsSchoolSystem_FollowsItsOwnDutiesAndAssignments(AccessChangeKind kind, int schoolSystemId, bool expected)
    {
        var change = new AccessChange(kind, schoolSystemId, null, null, 9, DateTimeOffset.UnixEpoch);

        Assert.Equal(expected, LocalDutiesService.ConcernsSchoolSystem(change, 1));
    }

    [Fact]
    public async Task Concerns_ReachesReadersOfThatSchoolSystemOnly()
    {
        var (database, state, _) = await ArrangeAsync();
        await using var __ = database;
        var scopes = database.Get<ScopeService>();
        var change = new AccessChange(AccessChangeKind.LocalDutiesChanged, state.LeaA.Id, null, null, state.DistrictA.Id, DateTimeOffset.UnixEpoch);

        Assert.True(LocalDutiesService.Concerns(change, await scopes.GetScopeAsync(As(state.SupervisorA))));
        Assert.True(LocalDutiesService.Concerns(change, await scopes.GetScopeAsync(As(state.StateAdmin))));
        Assert.False(LocalDutiesService.Concerns(change, await scopes.GetScopeAsync(As(state.DistrictB))));
        Assert.False(LocalDutiesService.Concerns(change, null));
    }
}
