using MudBlazor;

namespace EserSecurity.Dashboard.Components.Layout;

/// <summary>A sober public-sector palette with contrast that passes WCAG AA on both themes.</summary>
public static class DashboardTheme
{
    public static readonly MudTheme Theme = new()
    {
        PaletteLight = new PaletteLight
        {
            Primary = "#0b3d6e",
            Secondary = "#00695c",
            AppbarBackground = "#0b3d6e",
            Background = "#f4f6f9",
            Warning = "#8a4b00",
            Error = "#b3261e",
            Success = "#1b6e2d",
            Info = "#0b5cad",
            TextSecondary = "rgba(0,0,0,0.7)",
            DrawerText = "rgba(0,0,0,0.8)",
            DrawerIcon = "rgba(0,0,0,0.7)",
        },
        PaletteDark = new PaletteDark
        {
            Primary = "#90caf9",
            Secondary = "#80cbc4",
            AppbarBackground = "#10243a",
            Warning = "#ffb74d",
            Error = "#f28b82",
            Success = "#81c995",
            Info = "#8ab4f8",
        },
        LayoutProperties = new LayoutProperties { DefaultBorderRadius = "6px" },
    };
}
