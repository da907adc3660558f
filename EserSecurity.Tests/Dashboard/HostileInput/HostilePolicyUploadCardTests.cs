using System.Text;
using Bunit;
using EserSecurity.Core.LocalDuties;
using EserSecurity.Dashboard.Components.Pages.LocalDuties;
using EserSecurity.Tests.Core.Security.HostileInput;
using EserSecurity.Tests.Support;
using Microsoft.AspNetCore.Components.Forms;

namespace EserSecurity.Tests.Dashboard.HostileInput;

/// <summary>
/// The policy card's PDF upload as a district coordinator uses it: a file that is not a policy PDF ends in a message on
/// the card and nothing written; a file name with a path or markup is shown as a harmless name, as text.
/// </summary>
public sealed class HostilePolicyUploadCardTests
{
    private static readonly byte[] Pdf = Encoding.ASCII.GetBytes("%PDF-1.7\n1 0 obj << >> endobj\ntrailer << >>\n%%EOF\n");

    public static TheoryData<string, string> RefusedFiles() => new()
    {
        { "empty", "The file is empty" },
        { "PNG image", "is not a PDF" },
        { "over 5 MB", $"larger than {LocalPolicyDocument.MaxBytes / 1024 / 1024} MB" },
    };

    [Theory]
    [MemberData(nameof(RefusedFiles))]
    public async Task NotAPolicyPdf_EndsInAMessage_AndNothingIsWritten(string file, string says)
    {
        await using var database = await TestDatabase.CreateAsync();
        var state = await TestState.CreateAsync(database);
        await using var ctx = DashboardContext.Create(database, state.DistrictA.Username);
        var card = await RenderCardAsync(ctx, database, state);
        var before = await DatabaseSnapshot.TakeAsync(database);
        byte[] bytes = file switch
        {
            "empty" => [],
            "PNG image" => HostileFiles.Png,
            _ => [.. Pdf, .. new byte[LocalPolicyDocument.MaxBytes]],
        };

        await card.InvokeAsync(() => card.FindComponent<InputFile>().UploadFiles(InputFileContent.CreateFromBinary(bytes, "policy.pdf", contentType: "application/pdf")));
        if (file != "over 5 MB")
        {
            card.WaitForAssertion(() => card.Find("[data-testid=policy-file-ready]"));
            await card.InvokeAsync(() => card.FindButton("Record policy").Click());
        }

        card.WaitForAssertion(() => Assert.Contains(says, card.Find("[data-testid=policy-message]").TextContent, StringComparison.Ordinal));
        Assert.Equal("alert", card.Find("[data-testid=policy-message]").GetAttribute("role"));
        await DatabaseSnapshot.AssertUnchangedAsync(database, before);
    }

    [Theory]
    [InlineData("../../etc/passwd.pdf", "passwd.pdf")]
    [InlineData("C:\\x\\<img src=x onerror=alert(1)>.pdf", "<img src=x onerror=alert(1)>.pdf")]
    [InlineData("policy\u202Efdp.exe", "policyfdp.exe")]
    public async Task PathOrMarkupInTheFileName_IsRecordedAsAHarmlessName_ShownAsText(string given, string shown)
    {
        await using var database = await TestDatabase.CreateAsync();
        var state = await TestState.CreateAsync(database);
        await using var ctx = DashboardContext.Create(database, state.DistrictA.Username);
        var card = await RenderCardAsync(ctx, database, state);

        await card.InvokeAsync(() => card.FindComponent<InputFile>().UploadFiles(InputFileContent.CreateFromBinary(Pdf, given, contentType: "application/pdf")));
        card.WaitForAssertion(() => card.Find("[data-testid=policy-file-ready]"));
        await card.InvokeAsync(() => card.FindButton("Record policy").Click());
        card.WaitForAssertion(() => Assert.Equal("Policy recorded.", card.Find("[data-testid=policy-message]").TextContent.Trim()));

        var view = await database.Get<LocalDutiesService>().GetAsync(TestState.CallerFor(state.DistrictA), state.LeaA.Id);
        card.Render(p => p.Add(c => c.View, view));
        var link = card.Find("a[download]");
        Assert.StartsWith(shown, link.TextContent.Trim(), StringComparison.Ordinal);
        Assert.Empty(link.QuerySelectorAll("img"));
    }

    /// <summary>The card of school system A with a policy already recorded (by link), so an upload only replaces the document.</summary>
    private static async Task<IRenderedComponent<PolicyCard>> RenderCardAsync(BunitContext ctx, TestDatabase database, TestState state)
    {
        var duties = database.Get<LocalDutiesService>();
        var coordinator = TestState.CallerFor(state.DistrictA);
        await duties.RecordPolicyAsync(coordinator, state.LeaA.Id, new LocalPolicyChange(new DateOnly(2026, 8, 3), true, Link: "https://alpha.example.org/policy"));
        var view = await duties.GetAsync(coordinator, state.LeaA.Id);
        return ctx.Render<PolicyCard>(p => p.Add(c => c.View, view));
    }
}
