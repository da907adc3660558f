namespace EserSecurity.Core.Assurance;

/// <summary>A school year, July 1 to June 30, named by the calendar year it starts in.</summary>
public readonly record struct SchoolYear(int StartYear)
{
    public DateOnly StartsOn => new(StartYear, 7, 1);

    public DateOnly EndsOn => new(StartYear + 1, 6, 30);

    /// <summary>For example "2026–27".</summary>
    public string Label => $"{StartYear}–{(StartYear + 1) % 100:00}";

    public static SchoolYear Containing(DateOnly day) => new(day.Month >= 7 ? day.Year : day.Year - 1);

    public override string ToString() => Label;
}
