using Microsoft.Playwright;

namespace EserSecurity.Tests.Browser;

/// <summary>Choosing from MudBlazor select menus and search fields the way a user does.</summary>
public static class Menus
{
    /// <summary>
    /// Opens the menu and clicks the option, then waits for the menu to close, which it does once the console has taken
    /// the choice. On a loaded machine a click can reach the menu while it is still being laid out and be dropped; the
    /// menu then stays open, and the user, like this helper, clicks the option once more. A second dropped click fails.
    /// </summary>
    public static async Task ChooseAsync(ILocator menu, string option)
    {
        await menu.ClickAsync();
        var item = menu.Page.GetByRole(AriaRole.Option, new() { Name = option, Exact = true });
        for (var attempt = 1; ; attempt++)
        {
            await item.ClickAsync();
            try
            {
                await Assertions.Expect(item).ToBeHiddenAsync(new() { Timeout = attempt == 1 ? 5_000 : 30_000 });
                return;
            }
            catch (PlaywrightException) when (attempt == 1)
            {
            }
        }
    }

    /// <summary>
    /// Types <paramref name="text"/> into a search field (an autocomplete) and clicks <paramref name="option"/> once the
    /// field lists it. On a loaded machine the typing can reach the field before it is ready and no list opens; the user,
    /// like this helper, clears the field and types again. A list that does not open the second time fails.
    /// </summary>
    public static async Task SearchAndChooseAsync(ILocator field, string text, ILocator option)
    {
        for (var attempt = 1; ; attempt++)
        {
            await field.FillAsync(text);
            try
            {
                await option.WaitForAsync(new() { Timeout = attempt == 1 ? 10_000 : 30_000 });
                break;
            }
            catch (System.TimeoutException) when (attempt == 1)
            {
                await field.FillAsync("");
            }
        }
        await option.ClickAsync();
    }
}
