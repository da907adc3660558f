namespace EserSecurity.Dashboard.Components.Pages.Coordinators;

/// <summary>What a button on a school system's node asks the page to do.</summary>
public enum TreeAction
{
    AssignDistrict,
    AssignSupervisor,
    AssignLocal,
    NewGroup,
}
