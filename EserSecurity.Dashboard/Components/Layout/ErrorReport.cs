using System.Security.Cryptography;
using EserSecurity.Core.Data;

namespace EserSecurity.Dashboard.Components.Layout;

/// <summary>
/// What an error boundary tells the person and the log about an unexpected error: a short reference, shown and logged
/// together so the help desk can find the entry, and whether the database was only busy (a warning, "try again").
/// </summary>
public sealed record ErrorReport(string Reference, bool Busy)
{
    public static ErrorReport Log(ILogger logger, Exception exception, string where)
    {
        var report = new ErrorReport(Convert.ToHexString(RandomNumberGenerator.GetBytes(5)), DatabaseBusy.Is(exception));
        if (report.Busy)
        {
            logger.LogWarning(exception, "{Where} error {Reference}: the database stayed busy past the command timeout", where, report.Reference);
        }
        else
        {
            logger.LogError(exception, "{Where} error {Reference}", where, report.Reference);
        }
        return report;
    }
}
