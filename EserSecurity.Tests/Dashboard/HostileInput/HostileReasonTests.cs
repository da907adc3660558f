using Bunit;
using EserSecurity.Core.AccessRequests;
using EserSecurity.Dashboard.Components.Pages.Queue;
using EserSecurity.Tests.Core.Security.HostileInput;
using EserSecurity.Tests.Support;
using MudBlazor;

namespace EserSecurity.Tests.Dashboard.HostileInput;

/// <summary>
/// A reason typed with characters that cannot be seen, or too long, reaches the person as Core's refusal on the page,
/// and nothing is written: the denial of a request stands for every reason field, which all show refusals the same way.
/// </summary>
public sealed class HostileReasonTests
{
    [Theory]
    [InlineData("Not your school\u202Eloohcs", "(U+202E)")]
    [InlineData("Not your \u001B[2J school", "(U+001B)")]
    [InlineData(null, "Keep the reason to 1000 characters.")]
    public async Task DenyReason_Hostile_ShowsTheRefusal_AndWritesNothing(string? reason, string says)
    {
        await using var database = await TestDatabase.CreateAsync();
        var state = await TestState.CreateAsync(database);
        var request = await TestState.AddPendingRequestAsync(database, state.UserA1, state.SchoolRole, state.LeaA, state.A1, database.Clock.GetUtcNow());
        await using var ctx = DashboardContext.Create(database, state.DistrictA.Username);
        var dialogs = ctx.Render<MudDialogProvider>();
        var panel = ctx.Render<RequestDetailPanel>(p => p.Add(c => c.RequestId, request.Id));
        panel.WaitForAssertion(() => Assert.False(panel.FindButton($"Deny request {request.Id}").HasAttribute("disabled")));
        var before = await DatabaseSnapshot.TakeAsync(database);

        panel.FindButton($"Deny request {request.Id}").Click();
        dialogs.WaitForAssertion(() => dialogs.Find("[role=dialog] textarea"));
        dialogs.Find("[role=dialog] textarea").Input(reason ?? new string('x', AccessRequest.ReasonMaxLength + 1));
        dialogs.FindButton("Deny request").Click();

        panel.WaitForAssertion(() => Assert.Contains(says, panel.Find("[data-testid=decision-outcome]").TextContent, StringComparison.Ordinal));
        await DatabaseSnapshot.AssertUnchangedAsync(database, before);
    }
}
