using EserSecurity.Core.Assurance;

namespace EserSecurity.Dashboard.Components.Pages.Assurance;

/// <summary>One bar of the assurance chart and its row in the table beside it: a school system or a school.</summary>
/// <param name="Label">The bar's short label (a code).</param>
/// <param name="Href">Where its link leads (its schools, or its people in the list); null when there is nowhere to go.</param>
public sealed record AssuranceChartRow(string Label, string Name, AssuranceCounts Counts, string? Href, string? LinkText)
{
    public int Unsigned => Counts.Due + Counts.Overdue;
}
