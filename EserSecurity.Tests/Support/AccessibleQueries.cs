using AngleSharp.Dom;
using AngleSharp.Html.Dom;
using Bunit;
using Microsoft.AspNetCore.Components;
using MudBlazor;

namespace EserSecurity.Tests.Support;

/// <summary>Finds and uses controls the way a screen reader names them: by role, and by aria-labelledby, aria-label or label, or else by visible text.</summary>
public static class AccessibleQueries
{
    /// <summary>The elements that carry each role without a role attribute (their implicit ARIA role).</summary>
    private static readonly Dictionary<string, string> ImplicitRoles = new()
    {
        ["article"] = "article",
        ["button"] = "button",
        ["checkbox"] = "input[type=checkbox]",
        ["dialog"] = "dialog",
        ["link"] = "a[href]",
        ["main"] = "main",
        ["navigation"] = "nav",
        ["region"] = "section[aria-label], section[aria-labelledby]",
        ["table"] = "table",
    };

    /// <summary>The one element with this role (explicit or implicit) and accessible name; fails when there is none or more than one.</summary>
    public static IElement FindByRole<T>(this IRenderedComponent<T> cut, string role, string name) where T : IComponent
    {
        var selector = ImplicitRoles.TryGetValue(role, out var implicitRole) ? $"[role={role}], {implicitRole}" : $"[role={role}]";
        var found = cut.FindAll(selector).Where(e => (e.GetAttribute("role") ?? role) == role && e.AccessibleName() == name).ToList();
        return found.Count == 1
            ? found[0]
            : throw new ElementNotFoundException($"{role} named '{name}' (found {found.Count})");
    }

    /// <summary>The one checkbox with this accessible name, to read whether it is ticked.</summary>
    public static IHtmlInputElement FindCheckbox<T>(this IRenderedComponent<T> cut, string name) where T : IComponent =>
        (IHtmlInputElement)cut.FindByRole("checkbox", name);

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

    /// <summary>
    /// The name a screen reader announces: the text of the elements aria-labelledby points to, else aria-label, else a
    /// form control's label, else the element's own text; white space collapsed.
    /// </summary>
    public static string AccessibleName(this IElement element)
    {
        if (element.GetAttribute("aria-labelledby") is { Length: > 0 } ids)
        {
            // bUnit's markup is a fragment outside any document: look the ids up from the fragment's root.
            var root = element.GetRoot() as IParentNode;
            return Collapse(string.Join(' ', ids.Split(' ', StringSplitOptions.RemoveEmptyEntries)
                .Select(id => root?.QuerySelector($"[id='{id}']")?.TextContent ?? "")));
        }
        if (element.GetAttribute("aria-label") is { } label)
        {
            return label;
        }
        if (element is IHtmlInputElement or IHtmlTextAreaElement or IHtmlSelectElement)
        {
            var labelElement = element.Id is { Length: > 0 } id
                ? (element.GetRoot() as IParentNode)?.QuerySelector($"label[for='{id}']")
                : null;
            if ((labelElement ?? element.Closest("label")) is { } owner)
            {
                return Collapse(owner.TextContent);
            }
        }
        return Collapse(element.TextContent);
    }

    private static string Collapse(string text) => string.Join(' ', text.Split((char[]?)null, StringSplitOptions.RemoveEmptyEntries));
}
