using Microsoft.AspNetCore.Components;
using Microsoft.AspNetCore.Components.Rendering;

namespace EserSecurity.Dashboard.Components.Shared;

/// <summary>
/// Renders its content, and again when <see cref="Render"/> asks, without rendering the component around it. The live
/// grid renders its toolbar this way beside the table: re-rendering the grid from its parent hands MudDataGrid new
/// parameters, which costs every open page a second render batch a moment after the first.
/// </summary>
public sealed class RenderSection : ComponentBase
{
    [Parameter, EditorRequired] public required RenderFragment ChildContent { get; set; }

    /// <summary>Renders the content again; call it on the circuit's dispatcher.</summary>
    public void Render() => StateHasChanged();

    protected override void BuildRenderTree(RenderTreeBuilder builder) => builder.AddContent(0, ChildContent);
}
