using System.Text;
using EserSecurity.Core.Security;
using EserSecurity.DemoState;
using EserSecurity.Tests.Support;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Playwright;

namespace EserSecurity.Tests.Browser;

/// <summary>The local duties page in a real browser: a PDF upload, a training recorded elsewhere arriving live, and axe-core before and after.</summary>
[Collection(BrowserCollection.Name)]
public sealed class LocalDutiesBrowserTests(ConsoleServer server)
{
    private static string Shot(string name) => Path.Combine(Path.GetTempPath(), $"eser-{name}.png");

    [Fact]
    public async Task DistrictCoordinatorUploadsThePolicy_SeesATrainingRecordedElsewhereWithoutReload_AndThePagePassesAxeBeforeAndAfter()
    {
        var other = (await TestPeople.FindAsync(server.Services, DemoPeople.DistrictCoordinator2))!.ToCaller();
        var schoolSystemId = (await server.Services.GetRequiredService<ScopeService>().GetScopeAsync(other)).DistrictSchoolSystemIds.Single();
        var page = await server.SignInAsync(DemoPeople.DistrictCoordinator);
        await page.GotoAsync($"/school-systems/{schoolSystemId}/duties");
        await ConsoleServer.WaitForCircuitAsync(page);
        await Assertions.Expect(page.GetByRole(AriaRole.Heading, new() { Level = 1 })).ToContainTextAsync("Local duties of");
        await Accessibility.AssertNoSeriousViolationsAsync(page);

        await page.GetByLabel("Adopted on").FillAsync("2026-09-14");
        await page.Locator("#policy-file").SetInputFilesAsync(new FilePayload
        {
            Name = "board-policy-5140.pdf", MimeType = "application/pdf", Buffer = Encoding.ASCII.GetBytes("%PDF-1.7\n1 0 obj << >> endobj\n%%EOF\n"),
        });
        await Assertions.Expect(page.GetByTestId("policy-file-ready")).ToHaveTextAsync("board-policy-5140.pdf is ready to record.");
        await page.GetByRole(AriaRole.Button, new() { Name = "Record policy" }).ClickAsync();
        await Assertions.Expect(page.GetByTestId("policy-message")).ToHaveTextAsync("Policy recorded.");
        await Assertions.Expect(page.GetByRole(AriaRole.Link, new() { NameRegex = new("^board-policy-5140\\.pdf") })).ToBeVisibleAsync();
        await page.ScreenshotAsync(new() { Path = Shot("local-duties"), FullPage = true });

        // Another district coordinator of the same school system records the removal procedure on their own page.
        var otherPage = await server.SignInAsync(DemoPeople.DistrictCoordinator2);
        await otherPage.GotoAsync($"/school-systems/{schoolSystemId}/duties");
        await ConsoleServer.WaitForCircuitAsync(otherPage);
        var dated = DateTime.UtcNow.AddDays(-2);
        await otherPage.GetByLabel("Procedure dated").FillAsync(dated.ToString("yyyy-MM-dd"));
        await otherPage.GetByRole(AriaRole.Button, new() { Name = "Record procedure" }).ClickAsync();

        await Assertions.Expect(page.GetByTestId("procedure-summary")).ToHaveTextAsync(dated.ToString("'Written procedure dated 'MMM d, yyyy'.'", System.Globalization.CultureInfo.InvariantCulture));
        await Accessibility.HoldAnimationsAsync(page);
        await Accessibility.AssertNoSeriousViolationsAsync(page);
        await page.ScreenshotAsync(new() { Path = Shot("local-duties-after-live-update"), FullPage = true });
        await page.Context.CloseAsync();
        await otherPage.Context.CloseAsync();
    }

    [Fact]
    public async Task StateAdministratorSeesTheDutiesFlags_OnTheSchoolSystemsPage_HomeAndTheReadinessBoard_AndEachPassesAxe()
    {
        var admin = await server.SignInAsync(DemoPeople.StateAdmin);
        await admin.GotoAsync("/school-systems");
        await ConsoleServer.WaitForCircuitAsync(admin);
        await Assertions.Expect(admin.GetByTestId("duties-flag").First).ToBeVisibleAsync();
        await Accessibility.AssertNoSeriousViolationsAsync(admin);
        await admin.ScreenshotAsync(new() { Path = Shot("school-systems-duties"), FullPage = true });

        await admin.GotoAsync("/");
        await ConsoleServer.WaitForCircuitAsync(admin);
        await Assertions.Expect(admin.GetByTestId("home-duties-flag").First).ToBeVisibleAsync();
        await Accessibility.AssertNoSeriousViolationsAsync(admin);
        await admin.ScreenshotAsync(new() { Path = Shot("home-duties"), FullPage = true });

        await admin.GotoAsync("/readiness");
        await ConsoleServer.WaitForCircuitAsync(admin);
        await Assertions.Expect(admin.GetByTestId("readiness-note").First).ToBeVisibleAsync();
        await Accessibility.AssertNoSeriousViolationsAsync(admin);
        await admin.ScreenshotAsync(new() { Path = Shot("readiness-duties"), FullPage = true });
        await admin.Context.CloseAsync();
    }
}
