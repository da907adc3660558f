using EserSecurity.Core.Readiness;

namespace EserSecurity.Dashboard.Components.Pages.Readiness;

/// <summary>One line of a readiness table: a school system on the board, or a school in a school system.</summary>
public sealed record ReadinessTableRow(string Name, string? Code, string? Href, ReadinessFigures Figures);
