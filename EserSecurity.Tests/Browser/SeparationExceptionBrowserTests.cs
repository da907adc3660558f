using EserSecurity.Core.Coordinators;
using EserSecurity.Core.Data;
using EserSecurity.DemoState;
using EserSecurity.Tests.Support;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Playwright;

namespace EserSecurity.Tests.Browser;

/// <summary>A recorded separation-of-duties exception on the coordinator tree, in a real browser, with axe.</summary>
[Collection(BrowserCollection.Name)]
public sealed class SeparationExceptionBrowserTests(ConsoleServer server)
{
    [Fact]
    public async Task RecordedException_IsShownOnTheSchoolSystemsNode_AndTheTreePassesAxe()
    {
        var admin = (await TestPeople.FindAsync(server.Services, DemoPeople.StateAdmin))!.ToCaller();
        var coordinators = server.Services.GetRequiredService<CoordinatorService>();
        var system = (await coordinators.GetSchoolSystemsAsync(admin)).First(s => s.Supervisors.Count > 0);
        var supervisor = system.Supervisors[0];
        await using (var db = await server.Services.GetRequiredService<IDbContextFactory<EserSecurityDbContext>>().CreateDbContextAsync())
        {
            if (!await db.SeparationExceptions.AnyAsync(e => e.SchoolSystemId == system.Id && e.StaffMemberId == supervisor.StaffMemberId && e.EndedAt == null))
            {
                await coordinators.RecordSeparationExceptionAsync(admin, system.Id, supervisor.StaffMemberId, "One special education office covers both duties until July.");
            }
        }

        var page = await server.SignInAsync(DemoPeople.StateAdmin);
        await page.GotoAsync($"/coordinators?search={system.Code}");
        await ConsoleServer.WaitForCircuitAsync(page);
        var shown = page.GetByTestId("separation-exception").Filter(new() { HasText = supervisor.Name });

        await Assertions.Expect(shown).ToContainTextAsync("One special education office covers both duties until July.");
        await Assertions.Expect(page.GetByRole(AriaRole.Button, new() { Name = $"End exception for {supervisor.Name}" })).ToBeAttachedAsync();
        await Accessibility.AssertNoSeriousViolationsAsync(page);
        await page.ScreenshotAsync(new() { Path = Path.Combine(Path.GetTempPath(), "eser-separation-exception.png"), FullPage = true });
        await page.Context.CloseAsync();
    }
}
