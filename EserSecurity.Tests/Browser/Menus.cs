using Microsoft.Playwright;

namespace EserSecurity.Tests.Browser;

/// <summary>Choosing from a MudBlazor select menu the way a user does: open it, click the option.</summary>
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
}
