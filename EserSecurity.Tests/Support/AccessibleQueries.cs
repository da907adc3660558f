using AngleSharp.Dom;
using Bunit;
using Microsoft.AspNetCore.Components;
using MudBlazor;

namespace EserSecurity.Tests.Support;

/// <summary>Finds and uses controls the way a screen reader names them: by aria-label or label, or else by visible text.</summary>
public static class AccessibleQueries
{
    public static IReadOnlyList<IElement> FindButtons<T>(this IRenderedComponent<T> cut, string name) where T : IComponent =>
        cut.FindAll("button").Where(b => AccessibleName(b) == name).ToList();

    /// <summary>The one button with this accessible name; fails when there is none or more than one.</summary>
    public static IElement FindButton<T>(this IRenderedComponent<T> cut, string name) where T : IComponent
    {
        var buttons = cut.FindButtons(name);
        return buttons.Count == 1
            ? buttons[0]
            : throw new ElementNotFoundException($"button named '{name}' (found {buttons.Count})");
    }

    /// <summary>The form control a label element names (a required field's label ends with " *").</summary>
    public static IElement FindByLabel<T>(this IRenderedComponent<T> cut, string label) where T : IComponent
    {
        var element = cut.FindAll("label[for]").SingleOrDefault(l => l.TextContent.Trim().TrimEnd('*').TrimEnd() == label);
        return element is null
            ? throw new ElementNotFoundException($"label '{label}'")
            : cut.Find($"#{element.GetAttribute("for")}");
    }

    /// <summary>
    /// Opens the MudSelect named <paramref name="label"/>, clicks the option whose text starts with <paramref name="option"/>
    /// and waits until the select shows it.
    /// </summary>
    public static void ChooseOption<T>(this IRenderedComponent<T> cut, IRenderedComponent<MudPopoverProvider> popovers, string label, string option)
        where T : IComponent
    {
        var select = $"[role=combobox][aria-label='{label}']";
        cut.Find(select).Closest(".mud-input-control")!.MouseDown();
        popovers.WaitForAssertion(() => Assert.NotEmpty(popovers.FindAll("[role=listbox] [role=option]")));
        popovers.FindAll("[role=listbox] [role=option]").Single(o => o.TextContent.Trim().StartsWith(option, StringComparison.Ordinal)).Click();
        cut.WaitForAssertion(() => Assert.StartsWith(option, cut.Find(select).TextContent.Trim(), StringComparison.Ordinal));
    }

    private static string AccessibleName(IElement element) =>
        element.GetAttribute("aria-label") ?? string.Join(' ', element.TextContent.Split((char[]?)null, StringSplitOptions.RemoveEmptyEntries));
}
