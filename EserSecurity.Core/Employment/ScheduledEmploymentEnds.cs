using EserSecurity.Core.Scheduling;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace EserSecurity.Core.Employment;

/// <summary>
/// Applies ends of employment whose scheduled day has come (from a staff directory row with a later Status Date, or a
/// coordinator's end on a later day): once at start, then every <see cref="EmploymentEndOptions.CheckEvery"/>.
/// </summary>
public sealed class ScheduledEmploymentEnds(
    EmploymentService employment, TimeProvider clock, JobLeases leases, IOptions<EmploymentEndOptions> options, ILogger<ScheduledEmploymentEnds> logger)
    : PeriodicCheck(clock, leases, logger)
{
    protected override TimeSpan Interval => options.Value.CheckEvery;

    protected override string Doing => "Applying scheduled ends of employment";

    protected override async Task RunOnceAsync(CancellationToken ct)
    {
        foreach (var applied in await employment.ApplyDueEndsAsync(ct))
        {
            logger.LogInformation("Staff member {StaffMemberId}: employment ended on its scheduled day {EndedOn}. {Outcome}",
                applied.StaffMemberId, applied.EndedOn, applied.Outcome.Message);
            if (applied.Outcome.SchoolSystemsLeftWithoutDistrictCoordinator.Count > 0)
            {
                logger.LogWarning("No district security coordinator left in {SchoolSystems}; a state administrator assigns one.",
                    string.Join(", ", applied.Outcome.SchoolSystemsLeftWithoutDistrictCoordinator));
            }
        }
    }
}
