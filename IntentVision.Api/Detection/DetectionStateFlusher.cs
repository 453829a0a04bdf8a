using IntentVision.Data.Anomalies;

namespace IntentVision.Api.Detection;

/// <summary>
/// Saves every series' unsaved detector state when the host stops, so a restart restores snapshots instead of
/// replaying. It stops after the server has drained its requests and after the jobs that ingest, and hands the
/// snapshots to the database writer, which stops after it. Correctness never depends on it: the last scored timestamp
/// is committed with every batch, and a restart without this snapshot replays the stored points since the previous one.
/// </summary>
public sealed class DetectionStateFlusher(DetectionStage stage, DetectorStateRepository repository, ILogger<DetectionStateFlusher> logger) : IHostedService
{
    private static readonly TimeSpan SaveTimeout = TimeSpan.FromSeconds(30);

    public Task StartAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public async Task StopAsync(CancellationToken cancellationToken)
    {
        if (!stage.Enabled)
        {
            return;
        }

        // The host's token may be spent already; the save gets a bound of its own.
        using var timeout = new CancellationTokenSource(SaveTimeout);
        try
        {
            await stage.PersistAllAsync(repository, timeout.Token);
        }
        catch (Exception e)
        {
            logger.LogWarning(e, "Saving detector state at shutdown failed; the next start replays stored points instead");
        }
    }
}
