using IntentVision.Data.Writing;
using IntentVision.LibSql;
using Microsoft.Extensions.Diagnostics.HealthChecks;

namespace IntentVision.Api.Health;

/// <summary>
/// Readiness that tells the truth about writes: <see cref="WritePathProbe"/> writes through the one database writer
/// with a short deadline, so a wedged writer, an unreachable or stopped server, a read-only or damaged file and a full
/// disk all turn <c>/health</c> unhealthy within seconds, and healthy again once a write goes through. Probes asked for
/// at the same time share one run, and a result is reused for <see cref="ResultLifetime"/>, so pollers cannot flood the writer.
/// </summary>
internal sealed class WritePathHealthCheck(WritePathProbe probe, DatabaseWriter writer, TimeProvider time) : IHealthCheck
{
    public const string Name = "database-writes";

    /// <summary>How long the probe may take: well inside the 10 s within which a failure must show.</summary>
    public static readonly TimeSpan ProbeTimeout = TimeSpan.FromSeconds(3);

    public static readonly TimeSpan ResultLifetime = TimeSpan.FromSeconds(1);

    private readonly Lock _lock = new();
    private Task<HealthCheckResult>? _running;
    private (HealthCheckResult Result, DateTimeOffset At)? _last;

    public Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default)
    {
        lock (_lock)
        {
            if (_last is { } last && time.GetUtcNow() - last.At < ResultLifetime)
            {
                return Task.FromResult(last.Result);
            }

            // Shared by concurrent callers, so it runs on its own deadline, not one caller's token.
            return _running ??= RunAsync();
        }
    }

    private async Task<HealthCheckResult> RunAsync()
    {
        // Off the caller's lock: the run clears _running when done, which must come after the caller stored it.
        await Task.Yield();
        HealthCheckResult result;
        using (var deadline = new CancellationTokenSource(ProbeTimeout))
        {
            result = await ProbeAsync(deadline);
        }

        lock (_lock)
        {
            _last = (result, time.GetUtcNow());
            _running = null;
        }

        return result;
    }

    private async Task<HealthCheckResult> ProbeAsync(CancellationTokenSource deadline)
    {
        try
        {
            var status = await probe.ProbeAsync(deadline.Token);
            return status.LastFailure is { } kind
                ? HealthCheckResult.Unhealthy($"Writes fail: {Describe(kind)} ({status.LastFailureCode}) since {status.LastFailureAt:O}.", data: Data(status))
                : HealthCheckResult.Healthy("Writes commit through the database writer.", Data(status));
        }
        catch (OperationCanceledException) when (deadline.IsCancellationRequested)
        {
            var status = writer.Status;
            return HealthCheckResult.Unhealthy(
                $"The write path did not answer within {ProbeTimeout.TotalSeconds:0} s: the database is stopped, wedged or overloaded ({status.QueueLength} writes queued).",
                data: Data(status));
        }
        catch (LibSqlException e)
        {
            return HealthCheckResult.Unhealthy($"Writes fail: {Describe(e.Kind)} ({e.Code}).", data: Data(writer.Status));
        }
        catch (WriteTimeoutException)
        {
            return HealthCheckResult.Unhealthy("The write path did not answer in time.", data: Data(writer.Status));
        }
    }

    private static string Describe(LibSqlFailureKind kind) => kind switch
    {
        LibSqlFailureKind.Storage => "the storage is full or failing",
        LibSqlFailureKind.ReadOnly => "the database is read-only",
        LibSqlFailureKind.Damaged => "the database file reports I/O errors or damage",
        LibSqlFailureKind.Refused => "the server refuses the service's credentials",
        LibSqlFailureKind.Busy => "another writer holds the database",
        LibSqlFailureKind.Unavailable => "the database server is unreachable",
        _ => "a statement failed",
    };

    private static Dictionary<string, object> Data(WriterStatus status)
    {
        var data = new Dictionary<string, object> { ["queueLength"] = status.QueueLength, ["consecutiveFailures"] = status.ConsecutiveFailures };
        if (status.LastCommitAt is { } committed)
        {
            data["lastCommitAt"] = committed;
        }

        if (status.GroupRunningSince is { } since)
        {
            data["groupRunningSince"] = since;
        }

        return data;
    }
}
