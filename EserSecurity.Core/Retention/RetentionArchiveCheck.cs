using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace EserSecurity.Core.Retention;

/// <summary>Moves the records due to the archive every <see cref="RetentionOptions.RunEvery"/> (daily by default), when the archive is on.</summary>
public sealed class RetentionArchiveCheck(RetentionArchive archive, TimeProvider clock, Scheduling.JobLeases leases, IOptions<RetentionOptions> options, ILogger<RetentionArchiveCheck> logger)
    : Scheduling.PeriodicCheck(clock, leases, logger)
{
    protected override TimeSpan Interval => options.Value.RunEvery;

    protected override string Doing => "Moving records past their retention period to the archive";

    protected override Task ExecuteAsync(CancellationToken stoppingToken) =>
        options.Value.IsOn ? base.ExecuteAsync(stoppingToken) : Task.CompletedTask;

    protected override async Task RunOnceAsync(CancellationToken ct) => await archive.RunAsync(ct);
}

/// <summary>Refuses to start with retention options that cannot work, with the message that says what to set.</summary>
internal sealed class RetentionOptionsValidation : IValidateOptions<RetentionOptions>
{
    public ValidateOptionsResult Validate(string? name, RetentionOptions options) =>
        options.Problem() is { } problem ? ValidateOptionsResult.Fail(problem) : ValidateOptionsResult.Success;
}
