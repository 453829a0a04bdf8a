using Microsoft.Extensions.Options;

namespace IntentVision.Api.Jobs;

/// <summary>
/// A background job that runs <see cref="RunOnceAsync"/> every interval on a <see cref="PeriodicTimer"/> driven
/// by the <see cref="TimeProvider"/>. Tests call <see cref="RunOnceAsync"/> directly instead of waiting for ticks.
/// One failed iteration is logged and the next tick tries again.
/// </summary>
public abstract class PeriodicJob<TOptions>(IOptions<TOptions> options, TimeProvider time, ILogger logger) : BackgroundService
    where TOptions : JobOptions
{
    protected TOptions Options { get; } = options.Value;

    protected TimeProvider Time { get; } = time;

    public abstract Task RunOnceAsync(DateTimeOffset now, CancellationToken cancellationToken);

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        if (!Options.Enabled || Options.Interval <= TimeSpan.Zero)
        {
            return;
        }

        using var timer = new PeriodicTimer(Options.Interval, Time);
        while (await timer.WaitForNextTickAsync(stoppingToken))
        {
            try
            {
                await RunOnceAsync(Time.GetUtcNow(), stoppingToken);
            }
            catch (Exception e) when (e is not OperationCanceledException || !stoppingToken.IsCancellationRequested)
            {
                logger.LogError(e, "{Job} failed; it runs again in {Interval}", GetType().Name, Options.Interval);
            }
        }
    }
}
