using EserSecurity.Core.Coordinators;
using MudBlazor;

namespace EserSecurity.Dashboard.Components.Pages.Coordinators;

/// <summary>
/// Opens the assignment and group dialogs of the coordinator tree and confirms what they saved. The tree shows the
/// result through the live update that every assignment change publishes.
/// </summary>
internal static class CoordinatorDialogs
{
    public static async Task AssignAsync(
        this IDialogService dialogs, ISnackbar snackbar, string title, int schoolSystemId, AssignDialog.AssignmentKind kind,
        SchoolSystemChildren? children = null, int? groupId = null)
    {
        var parameters = new DialogParameters<AssignDialog>
        {
            { d => d.SchoolSystemId, schoolSystemId },
            { d => d.Kind, kind },
            { d => d.Schools, children is null ? [] : Schools(children) },
            { d => d.Groups, children is null ? [] : children.Groups.Select(g => (g.Id, g.Name)).ToList() },
            { d => d.GroupId, groupId },
        };
        await ConfirmAsync(await dialogs.ShowAsync<AssignDialog>(title, parameters), snackbar, "Assignment saved.");
    }

    /// <summary>Creates a group of schools when <paramref name="group"/> is null, else edits it.</summary>
    public static async Task EditGroupAsync(
        this IDialogService dialogs, ISnackbar snackbar, int schoolSystemId, SchoolSystemChildren children, SchoolGroupNode? group)
    {
        var parameters = new DialogParameters<GroupDialog>
        {
            { d => d.SchoolSystemId, schoolSystemId },
            { d => d.Schools, Schools(children) },
            { d => d.Group, group },
        };
        await ConfirmAsync(await dialogs.ShowAsync<GroupDialog>(group is null ? "New group of schools" : $"Edit {group.Name}", parameters), snackbar,
            group is null ? "Group created." : "Group saved.");
    }

    private static List<(int Id, string Name)> Schools(SchoolSystemChildren children) =>
        children.Schools.Select(s => (s.Id, $"{s.Name} ({s.SiteCode})")).ToList();

    private static async Task ConfirmAsync(IDialogReference dialog, ISnackbar snackbar, string message)
    {
        if (await dialog.Result is { Canceled: false })
        {
            snackbar.Add(message, Severity.Success);
        }
    }
}
