using System.Net;
using System.Text.Json;
using EserSecurity.Core.Audit;
using EserSecurity.Core.LocalDuties;
using EserSecurity.Core.Reviews;
using EserSecurity.Dashboard.Hosting;
using EserSecurity.Tests.Core.Reviews;
using EserSecurity.Tests.Support;
using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace EserSecurity.Tests.Dashboard.Hosting;

/// <summary>
/// Every download endpoint that takes an id, for every role, with an id of school system B and an id that does not
/// exist: a 403 or 404 with a message and nobody's personal data, the same answer for both (no existence oracle), and
/// nothing written.
/// </summary>
public sealed class IdEndpointReachTests
{
    public enum Role { StateAdmin, DistrictA, LocalA, SupervisorA, UserA1 }

    private const int Missing = 987_654;

    /// <summary>Each endpoint as a URL for an id, and which of school system B's ids of the right kind to try.</summary>
    private static readonly Dictionary<string, (Func<Ids, int> OfB, Func<Ids, int, string> Url)> Endpoints = new()
    {
        ["coordinator-setup"] = (i => i.LeaB, (_, id) => $"/documents/files/coordinator-setup/{id}"),
        ["gaining-access"] = (i => i.LeaB, (_, id) => $"/documents/files/gaining-access/{id}"),
        ["authorized-users"] = (i => i.LeaB, (_, id) => $"/documents/files/authorized-users/{id}"),
        ["authorized-users-csv"] = (i => i.LeaB, (_, id) => $"/documents/files/authorized-users-csv/{id}"),
        ["signed-statement"] = (i => i.SignatureOfB, (_, id) => $"/documents/files/signed-statement/{id}"),
        ["access-review-pdf"] = (i => i.ReviewOfB, (_, id) => $"/documents/files/access-review/{id}"),
        ["access-review-csv"] = (i => i.ReviewOfB, (_, id) => $"/documents/files/access-review/{id}?format=csv"),
        ["local-policy"] = (i => i.LeaB, (_, id) => $"/documents/files/local-policy/{id}"),
        ["prepared"] = (_ => 0, (i, id) => $"/documents/files/prepared/{(id == Missing ? "0123456789abcdef0123456789abcdef" : i.PreparedOfB)}"),
        ["assurance-status-lea"] = (i => i.LeaB, (_, id) => $"/documents/files/assurance-status?lea={id}"),
        ["assurance-status-school"] = (i => i.SchoolB1, (_, id) => $"/documents/files/assurance-status?school={id}"),
        ["audit-log-lea"] = (i => i.LeaB, (_, id) => $"/documents/files/audit-log?lea={id}"),
        ["audit-log-person"] = (i => i.UserB1, (_, id) => $"/documents/files/audit-log?person={id}"),
        ["person-history-pdf"] = (i => i.UserB1, (_, id) => $"/documents/files/person-history/{id}"),
        ["person-history-csv"] = (i => i.UserB1, (_, id) => $"/documents/files/person-history/{id}?format=csv"),
        ["readiness-not-ready"] = (i => i.LeaB, (_, id) => $"/readiness/files/not-ready/{id}"),
        ["readiness-not-ready-school"] = (i => i.SchoolB1, (i, id) => $"/readiness/files/not-ready/{i.LeaA}?schoolId={id}"),
    };

    private sealed record Ids(int LeaA, int LeaB, int SchoolB1, int SignatureOfB, int ReviewOfB, string PreparedOfB, int UserB1);

    public static TheoryData<Role, string> Cases()
    {
        var data = new TheoryData<Role, string>();
        foreach (var role in Enum.GetValues<Role>())
        {
            foreach (var endpoint in Endpoints.Keys)
            {
                data.Add(role, endpoint);
            }
        }
        return data;
    }

    [Theory]
    [MemberData(nameof(Cases))]
    public async Task IdOfAnotherSchoolSystem_AndIdThatDoesNotExist_AnswerAlike_WithoutPersonalData(Role role, string endpoint)
    {
        await using var database = await TestDatabase.CreateAsync();
        var state = await TestState.CreateAsync(database);
        await using var host = await DownloadHost.StartAsync(database, new Dictionary<string, string?> { ["Documents:PerPersonPerMinute"] = "10000" });
        var ids = await BravoAsync(database, state, host);
        var client = await host.SignInAsync((role switch
        {
            Role.StateAdmin => state.StateAdmin,
            Role.DistrictA => state.DistrictA,
            Role.LocalA => state.LocalA,
            Role.SupervisorA => state.SupervisorA,
            _ => state.UserA1,
        }).Username!);
        var (ofB, url) = Endpoints[endpoint];
        var auditBefore = await AuditCountAsync(database);

        var missing = await AnswerAsync(client, url(ids, Missing));

        Assert.Contains(missing.Status, new[] { HttpStatusCode.Forbidden, HttpStatusCode.NotFound });
        Assert.False(string.IsNullOrWhiteSpace(missing.Detail), $"{endpoint}: no message in {missing.Body}");
        if (role != Role.StateAdmin)
        {
            var other = await AnswerAsync(client, url(ids, ofB(ids)));
            Assert.Equal((missing.Status, missing.Detail), (other.Status, other.Detail));
            foreach (var personal in new[] { state.UserB1.StaffId, state.UserB1.LastName, state.DistrictB.StaffId, state.DistrictB.LastName })
            {
                Assert.DoesNotContain(personal, other.Body, StringComparison.OrdinalIgnoreCase);
            }
        }
        Assert.Equal(auditBefore, await AuditCountAsync(database));
    }

    [Fact]
    public async Task Download_WhileAnotherWriterHoldsTheDatabase_Answers503WithRetryAfter_AndWorksOnceItIsFree()
    {
        await using var database = await TestDatabase.CreateAsync(commandTimeout: TimeSpan.FromSeconds(1));
        var state = await TestState.CreateAsync(database);
        var setup = await ReviewSetup.OpenForAAsync(database, state);
        // Past its due date, reading the review first applies the default: the download has to write.
        database.Clock.Advance(TimeSpan.FromDays(31));
        await using var host = await DownloadHost.StartAsync(database);
        var client = await host.SignInAsync(state.DistrictA.Username!);
        var url = $"/documents/files/access-review/{setup.ReviewId}?format=csv";

        await using (var writer = new SqliteConnection(database.ConnectionString))
        {
            await writer.OpenAsync();
            await using var hold = writer.CreateCommand();
            hold.CommandText = "BEGIN IMMEDIATE;";
            await hold.ExecuteNonQueryAsync();

            using var busy = await client.GetAsync(url);

            Assert.Equal(HttpStatusCode.ServiceUnavailable, busy.StatusCode);
            Assert.Equal(TimeSpan.FromSeconds(DatabaseBusyEndpointFilter.RetryAfterSeconds), busy.Headers.RetryAfter!.Delta);
            Assert.Equal(EserSecurity.Core.Data.DatabaseBusy.Message, Detail(await busy.Content.ReadAsStringAsync()));
            hold.CommandText = "ROLLBACK;";
            await hold.ExecuteNonQueryAsync();
        }
        await using (var db = await database.OpenAsync())
        {
            Assert.Null((await db.AccessReviews.SingleAsync(r => r.Id == setup.ReviewId)).DefaultsAppliedAt);
        }

        using var free = await client.GetAsync(url);

        Assert.Equal(HttpStatusCode.OK, free.StatusCode);
    }

    private static async Task<Ids> BravoAsync(TestDatabase database, TestState state, DownloadHost host)
    {
        var admin = TestState.CallerFor(state.StateAdmin);
        await GrantSetup.AddAsync(database, state.UserB1, state.SchoolRole, state.LeaB, state.B1);
        await TestState.SignThisYearAsync(database, state.UserB1);
        await database.Get<AccessReviewService>().OpenAsync(admin, new OpenReviewPeriod([state.LeaB.Id], new DateOnly(2027, 1, 15)));
        await database.Get<LocalDutiesService>().RecordPolicyAsync(admin, state.LeaB.Id,
            new LocalPolicyChange(new DateOnly(2026, 8, 1), true, new PolicyUpload("policy.pdf", "%PDF-1.7\n%%EOF\n"u8.ToArray())));
        host.Services.GetRequiredService<PreparedDownloads>().TryAdd(state.DistrictB.Id, "one-pagers.zip", "application/zip", [1, 2, 3], out var token);
        await using var db = await database.OpenAsync();
        return new Ids(state.LeaA.Id, state.LeaB.Id, state.B1.Id,
            await db.AssuranceSignatures.Where(s => s.StaffMemberId == state.UserB1.Id).Select(s => s.Id).SingleAsync(),
            await db.AccessReviews.Where(r => r.SchoolSystemId == state.LeaB.Id).Select(r => r.Id).SingleAsync(),
            token, state.UserB1.Id);
    }

    private sealed record Answer(HttpStatusCode Status, string Body, string? Detail);

    private static async Task<Answer> AnswerAsync(HttpClient client, string url)
    {
        using var response = await client.GetAsync(url);
        var body = await response.Content.ReadAsStringAsync();
        return new Answer(response.StatusCode, body, Detail(body));
    }

    private static string? Detail(string body)
    {
        try
        {
            return JsonDocument.Parse(body).RootElement.TryGetProperty("detail", out var detail) ? detail.GetString() : null;
        }
        catch (JsonException)
        {
            return null;
        }
    }

    /// <summary>Audit events of changes: a refusal is itself recorded (a security event), but it must change nothing.</summary>
    private static async Task<int> AuditCountAsync(TestDatabase database)
    {
        await using var db = await database.OpenAsync();
        return await db.AuditEvents.CountAsync(e => !e.Action.StartsWith(AuditAction.SecurityPrefix));
    }
}
