using System.Globalization;

namespace EserSecurity.Core.Documents;

/// <summary>Dates and times as a US state agency prints them: "Monday, January 4, 2027", "2:00–3:00 p.m.".</summary>
internal static class DocumentDates
{
    // The invariant culture spells days and months in English and works with invariant globalization too.
    private static readonly CultureInfo Culture = CultureInfo.InvariantCulture;

    public static string Long(DateOnly day) => day.ToString("dddd, MMMM d, yyyy", Culture);

    public static string MonthDay(DateOnly day) => day.ToString("MMMM d", Culture);

    /// <summary>For table columns: "Nov 28, 2026".</summary>
    public static string Short(DateOnly day) => day.ToString("MMM d, yyyy", Culture);

    /// <summary>For files and CSV: "2026-11-28".</summary>
    public static string Iso(DateOnly day) => day.ToString("yyyy-MM-dd", Culture);

    public static string Time(TimeOnly time) => $"{Clock(time)} {Meridiem(time)}";

    /// <summary>"2:00–3:00 p.m.", or "11:00 a.m.–12:30 p.m." across noon; "2:00 p.m." without an end.</summary>
    public static string TimeRange(TimeOnly start, TimeOnly? end)
    {
        if (end is not { } finish)
        {
            return Time(start);
        }
        return Meridiem(start) == Meridiem(finish)
            ? $"{Clock(start)}–{Clock(finish)} {Meridiem(finish)}"
            : $"{Time(start)}–{Time(finish)}";
    }

    private static string Clock(TimeOnly time)
    {
        var hour = time.Hour % 12 == 0 ? 12 : time.Hour % 12;
        return $"{hour}:{time.Minute:00}";
    }

    private static string Meridiem(TimeOnly time) => time.Hour < 12 ? "a.m." : "p.m.";
}
