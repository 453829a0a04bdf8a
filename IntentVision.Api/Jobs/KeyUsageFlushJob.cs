using IntentVision.Data.ApiKeys;
using IntentVision.Data.Writing;
using Microsoft.Extensions.Options;

namespace IntentVision.Api.Jobs;

/// <summary>
/// Writes the last use of API keys when no write group has carried it for a while (a service that only answers reads):
/// an empty unit of work forms a group, and the <see cref="KeyUsageRecorder"/> rides along with it.
/// </summary>
public sealed class KeyUsageFlushJob(KeyUsageRecorder usage, DatabaseWriter writer, IOptions<KeyUsageFlushOptions> options, TimeProvider time, ILogger<KeyUsageFlushJob> logger)
    : PeriodicJob<KeyUsageFlushOptions>(options, time, logger)
{
    public override async Task RunOnceAsync(DateTimeOffset now, CancellationToken cancellationToken)
    {
        if (usage.HasPending)
        {
            await writer.WriteAsync((_, _) => Task.FromResult(true), cancellationToken);
        }
    }
}

/// <summary>Configuration <c>IntentVision:Jobs:KeyUsage</c>.</summary>
public sealed class KeyUsageFlushOptions : JobOptions
{
    public KeyUsageFlushOptions() => Interval = TimeSpan.FromSeconds(15);
}
