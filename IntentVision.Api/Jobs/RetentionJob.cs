using IntentVision.Data.Retention;
using Microsoft.Extensions.Options;

namespace IntentVision.Api.Jobs;

/// <summary>Deletes points past their organization's retention period, in bounded batches through the database writer.</summary>
public sealed class RetentionJob(PointRetention retention, IOptions<RetentionOptions> options, TimeProvider time, ILogger<RetentionJob> logger)
    : PeriodicJob<RetentionOptions>(options, time, logger)
{
    public override Task RunOnceAsync(DateTimeOffset now, CancellationToken cancellationToken) =>
        retention.DeleteExpiredAsync(now, Options.BatchSize, cancellationToken);
}
