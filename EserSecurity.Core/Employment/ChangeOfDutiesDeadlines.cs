using EserSecurity.Core.Scheduling;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace EserSecurity.Core.Employment;

/// <summary>
/// Applies the change-of-duties default to items past their deadline: once at start and then every
/// <see cref="ChangeOfDutiesOptions.CheckEvery"/>. Reading the list applies it too, so a page never offers an item whose
/// time is up.
/// </summary>
public sealed class ChangeOfDutiesDeadlines(
    ChangeOfDutiesService service, TimeProvider clock, JobLeases leases, IOptions<ChangeOfDutiesOptions> options, ILogger<ChangeOfDutiesDeadlines> logger)
    : PeriodicCheck(clock, leases, logger)
{
    protected override TimeSpan Interval => options.Value.CheckEvery;

    protected override string Doing => "Applying the change-of-duties default at the deadline";

    protected override async Task RunOnceAsync(CancellationToken ct)
    {
        var applied = await service.ApplyDueDefaultsAsync(ct);
        if (applied > 0)
        {
            logger.LogInformation("Change of duties: the default applied to {Count} items past their deadline.", applied);
        }
    }
}
