using EserSecurity.Core.Readiness;

namespace EserSecurity.Dashboard.Components.Pages.Readiness;

/// <summary>One line of a readiness table: a school system on the board, or a school in a school system.</summary>
/// <param name="Notes">Short flags shown under the name: IEP Forms grants of unsigned people, the school system's own duties.</param>
public sealed record ReadinessTableRow(string Name, string? Code, string? Href, ReadinessFigures Figures, IReadOnlyList<string>? Notes = null);
