using Bunit;
using Microsoft.AspNetCore.Components;
using Microsoft.AspNetCore.Components.Forms;

namespace EserSecurity.Tests.Support;

/// <summary>The first steps of every import page, as a person takes them: choose a file, wait for its upload, click Preview.</summary>
public static class ImportPageSteps
{
    public static async Task<IRenderedComponent<TPage>> UploadAndPreviewAsync<TPage>(
        BunitContext ctx, IRenderedComponent<TPage>? page, byte[] file, string fileName) where TPage : class, IComponent
    {
        page ??= ctx.Render<TPage>();
        page.WaitForAssertion(() => page.FindComponent<InputFile>());
        await page.InvokeAsync(() => page.FindComponent<InputFile>().UploadFiles(InputFileContent.CreateFromBinary(file, fileName, contentType: "text/csv")));
        page.WaitForAssertion(() => Assert.False(page.FindButton("Preview").HasAttribute("disabled")));
        await page.InvokeAsync(() => page.FindButton("Preview").Click());
        return page;
    }

    /// <summary>The preview's figure for a category, as shown.</summary>
    public static string Figure<TPage>(this IRenderedComponent<TPage> page, Enum category) where TPage : class, IComponent =>
        page.Find($"[data-testid=count-{category}]").TextContent.Trim();

    /// <summary>The rows of the preview's table, by their text, in the order shown.</summary>
    public static IReadOnlyList<string> PreviewRows<TPage>(this IRenderedComponent<TPage> page) where TPage : class, IComponent =>
        page.FindAll("[data-testid=findings] tbody tr").Select(r => r.TextContent.Trim()).ToList();
}
