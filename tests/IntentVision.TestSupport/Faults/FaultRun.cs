namespace IntentVision.TestSupport.Faults;

/// <summary>
/// One scenario from start to verdict: load and a <c>/health</c> watch start, a fault is injected, held, and cleared;
/// the run waits until writes succeed and <c>/health</c> is green again (or gives up), lets the writers finish their
/// batches, and checks the database. The <see cref="FaultReport"/> holds the numbers the goals are judged by.
/// </summary>
/// <param name="api">The API whose <c>/health</c> is watched and through which the stored points are checked.</param>
/// <param name="key">A key of the load's organization (ingest:write and metrics:read).</param>
public sealed class FaultRun(string scenario, string backend, IngestLoad load, Uri api, string key)
{
    public static readonly TimeSpan Warmup = TimeSpan.FromSeconds(2);

    public static readonly TimeSpan RecoveryLimit = TimeSpan.FromSeconds(30);

    /// <summary>Runs the load, injects the fault, holds it for <paramref name="hold"/>, clears it, and reports.</summary>
    public async Task<FaultReport> RunAsync(Func<Task> inject, TimeSpan hold, Func<Task> clear)
    {
        using var stopHealth = new CancellationTokenSource();
        using var stopLoad = new CancellationTokenSource();
        var health = new HealthWatch(api);
        var watching = health.RunAsync(stopHealth.Token);
        var writing = load.RunAsync(stopLoad.Token, drain: RecoveryLimit);
        await Task.Delay(Warmup);

        var faultAt = DateTimeOffset.UtcNow;
        await inject();
        await Task.Delay(hold);
        await clear();
        var clearedAt = DateTimeOffset.UtcNow;

        var waited = System.Diagnostics.Stopwatch.StartNew();
        while (waited.Elapsed < RecoveryLimit)
        {
            var wrote = load.Attempts.Any(a => a.Status == 200 && a.AnsweredAt >= clearedAt);
            if (wrote && health.HealthyAgainAfter(clearedAt) is not null)
            {
                break;
            }

            await Task.Delay(250);
        }

        await Task.Delay(TimeSpan.FromSeconds(1));
        await stopLoad.CancelAsync();
        await writing;
        await stopHealth.CancelAsync();
        await watching;
        return await ReportAsync(health, faultAt, clearedAt);
    }

    /// <summary>Runs the load for <paramref name="duration"/> without a fault (contention scenarios), and reports.</summary>
    public async Task<FaultReport> RunCleanAsync(TimeSpan duration)
    {
        using var stopHealth = new CancellationTokenSource();
        using var stopLoad = new CancellationTokenSource();
        var health = new HealthWatch(api);
        var watching = health.RunAsync(stopHealth.Token);
        var started = DateTimeOffset.UtcNow;
        var writing = load.RunAsync(stopLoad.Token, drain: RecoveryLimit);
        await Task.Delay(duration);
        await stopLoad.CancelAsync();
        await writing;
        await stopHealth.CancelAsync();
        await watching;
        var report = await ReportAsync(health, started, null);
        return report with { WritesRecoveredAfter = null };
    }

    private async Task<FaultReport> ReportAsync(HealthWatch health, DateTimeOffset faultAt, DateTimeOffset? clearedAt)
    {
        var attempts = load.Attempts.ToList();
        var answered = attempts.Where(a => a.Status != 0).ToList();
        var failures = answered.Where(a => a.Status != 200).ToList();
        var (lost, miscounted) = await StoredPoints.VerifyAsync(api, key, load);
        var appliedTwice = load.Acknowledged.Values.Where(b => !b.Replayed).Sum(b => b.Updated);
        var notes = new List<string>();
        if (attempts.Count(a => a.Status == 0) is > 0 and var broken)
        {
            notes.Add($"{broken} broken connections (retried)");
        }

        if (!load.Refused.IsEmpty)
        {
            notes.Add("abandoned: " + string.Join(", ", load.Refused.Take(3)));
        }

        if (miscounted > 0)
        {
            notes.Add($"{miscounted} points miscounted in series statistics");
        }

        var causes = failures.GroupBy(f => $"{f.Status} {f.Cause}").Select(g => $"{g.Count()}x {g.Key}");
        if (failures.Count > 0)
        {
            notes.Add("failures: " + string.Join(", ", causes));
        }

        if (!health.UnhealthyAnswers.IsEmpty)
        {
            notes.Add("/health said: " + string.Join(" | ", health.UnhealthyAnswers.Take(3)));
        }

        TimeSpan? After(DateTimeOffset? at, DateTimeOffset from) => at is { } t ? (t > from ? t - from : TimeSpan.Zero) : null;
        var firstWrite = clearedAt is { } cleared
            ? answered.Where(a => a.Status == 200 && a.AnsweredAt >= cleared).Select(a => (DateTimeOffset?)a.AnsweredAt).Min()
            : null;
        return new FaultReport(
            scenario,
            backend,
            attempts.Count,
            load.Acknowledged.Count,
            failures.Count,
            lost,
            appliedTwice + miscounted,
            failures.Count(f => f.Status == 500),
            failures.Count(f => f.Status is not (500 or 503 or 507 or 429)),
            failures.Count(f => f.Status is 503 or 507 && f.RetryAfter is null),
            failures.Count(f => !f.WellFormed),
            failures.Count > 0 ? failures.Max(f => f.Elapsed) : null,
            answered.Count > 0 ? answered.Max(f => f.Elapsed) : null,
            clearedAt is { } c ? After(firstWrite, c) : null,
            After(health.FirstUnhealthyAfter(faultAt), faultAt),
            clearedAt is { } c2 ? After(health.HealthyAgainAfter(c2), c2) : null,
            string.Join("; ", notes));
    }
}
