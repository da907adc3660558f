using System.Text;
using EserSecurity.Core.Documents;
using EserSecurity.Core.Reviews;
using EserSecurity.Tests.Core.Documents;
using EserSecurity.Tests.Support;

namespace EserSecurity.Tests.Core.Reviews;

public sealed class AccessReviewReportTests
{
    [Fact]
    public async Task ReportPdf_OfASignedOffReview_ListsEveryGrantEachDecisionWhoAndWhen_AndTheSignOff()
    {
        await using var database = await TestDatabase.CreateAsync();
        var state = await TestState.CreateAsync(database);
        var setup = await ReviewSetup.OpenForAAsync(database, state);
        var service = database.Get<AccessReviewService>();
        await AccessReviewServiceTests.DecideAllAsync(service, state, setup);
        database.Clock.Advance(TimeSpan.FromHours(2));
        await service.SignOffAsync(TestState.CallerFor(state.SupervisorA), setup.ReviewId, state.SupervisorA.FullName, 4);

        var pdf = await service.ReportPdfAsync(TestState.CallerFor(state.DistrictA), setup.ReviewId);
        if (Environment.GetEnvironmentVariable("ESER_REVIEW_REPORT_PDF") is { Length: > 0 } keep)
        {
            await File.WriteAllBytesAsync(keep, pdf.Content);
        }
        var text = PdfText.All(pdf.Content);

        Assert.Equal(GeneratedDocument.PdfContentType, pdf.ContentType);
        Assert.Equal("access-review-101-2026-11-28.pdf", pdf.FileName);
        Assert.Contains("Access Review Report", text);
        Assert.Contains("4 grants held by 2 people", text);
        Assert.Contains("alpha1, user", text);
        Assert.Contains("alpha3, user", text);
        Assert.Contains("End — district alpha, Nov 28, 2026 3:00 PM UTC: Left the school.", text);
        Assert.Contains("End — supervisor alpha, Nov 28, 2026 3:00 PM UTC: No IEP caseload this year.", text);
        Assert.Contains("Keep — district alpha", text);
        Assert.Contains("Not needed", text);
        Assert.Contains("I reviewed these 4 grants on November 28, 2026.", text);
        Assert.Contains("Signed off by supervisor alpha", text);
        Assert.Contains("5:00 PM UTC", text);
    }

    [Fact]
    public async Task ReportPdf_OfAnOpenReview_SaysItIsNotSignedOff()
    {
        await using var database = await TestDatabase.CreateAsync();
        var state = await TestState.CreateAsync(database);
        var setup = await ReviewSetup.OpenForAAsync(database, state);

        var pdf = await database.Get<AccessReviewService>().ReportPdfAsync(TestState.CallerFor(state.StateAdmin), setup.ReviewId);

        Assert.Contains("Not signed off yet: the review is open.", PdfText.All(pdf.Content));
    }

    [Fact]
    public async Task ReportCsv_HasOneLinePerGrant_WithBothDecisionsAndTheResult()
    {
        await using var database = await TestDatabase.CreateAsync();
        var state = await TestState.CreateAsync(database);
        var setup = await ReviewSetup.OpenForAAsync(database, state);
        var service = database.Get<AccessReviewService>();
        await AccessReviewServiceTests.DecideAllAsync(service, state, setup);

        var csv = await service.ReportCsvAsync(TestState.CallerFor(state.SupervisorA), setup.ReviewId);
        var lines = Encoding.UTF8.GetString(csv.Content).TrimStart('\uFEFF').Split("\r\n", StringSplitOptions.RemoveEmptyEntries);

        Assert.Equal("access-review-101-2026-11-28.csv", csv.FileName);
        Assert.Equal(5, lines.Length);
        Assert.StartsWith("Last name,First name,Staff ID,Position,Role,School,IEP Forms,Decision,Decided by,Decided at (UTC),Reason,Supervisor decision", lines[0]);
        Assert.Contains(lines, l => l.StartsWith("alpha1,user,", StringComparison.Ordinal) && l.Contains(",IEP Forms Writer,Alpha Elementary,Yes,Keep,district alpha,2026-11-28 15:00,,End,supervisor alpha,2026-11-28 15:00,No IEP caseload this year.,No,End", StringComparison.Ordinal));
        Assert.Contains(lines, l => l.Contains(",Student Data Entry,Alpha High,No,End,district alpha,2026-11-28 15:00,Left the school.,,,,,No,End", StringComparison.Ordinal));
        Assert.Contains(lines, l => l.Contains(",LEA Reports,Whole school system,No,Keep,district alpha,", StringComparison.Ordinal) && l.EndsWith(",No,Keep", StringComparison.Ordinal));
    }

    [Fact]
    public async Task ReportCsv_ForALocalCoordinator_ListsTheirSchoolsGrantsOnly()
    {
        await using var database = await TestDatabase.CreateAsync();
        var state = await TestState.CreateAsync(database);
        var setup = await ReviewSetup.OpenForAAsync(database, state);
        var service = database.Get<AccessReviewService>();

        var csv = await service.ReportCsvAsync(TestState.CallerFor(state.LocalA), setup.ReviewId);
        var rows = Encoding.UTF8.GetString(csv.Content).TrimStart('\uFEFF').Split("\r\n", StringSplitOptions.RemoveEmptyEntries).Skip(1).ToList();

        Assert.NotEmpty(rows);
        Assert.All(rows, r => Assert.Contains(",Alpha Elementary,", r, StringComparison.Ordinal));
        var district = await service.ReportCsvAsync(TestState.CallerFor(state.DistrictA), setup.ReviewId);
        Assert.Contains(",Whole school system,", Encoding.UTF8.GetString(district.Content), StringComparison.Ordinal);
        Assert.Contains(",Alpha High,", Encoding.UTF8.GetString(district.Content), StringComparison.Ordinal);
    }
}
