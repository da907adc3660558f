namespace EserSecurity.Dashboard.Components.Pages.Coordinators;

/// <summary>What a node of the coordinator tree stands for; the page looks the details up by id.</summary>
public sealed record TreeNodeRef(TreeNodeKind Kind, int Id, int SchoolSystemId);

public enum TreeNodeKind
{
    SchoolSystem,
    School,
    Group,
}
