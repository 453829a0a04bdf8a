using IntentVision.TestSupport;
using IntentVision.TestSupport.Faults;

namespace IntentVision.FaultHarness;

/// <summary>One goal scenario on one backend: sets up its target, runs the load through the fault, and reports.</summary>
internal sealed record Scenario(string Name, TestBackend Backend, Func<Task<IReadOnlyList<FaultReport>>> RunAsync);

/// <summary>The scenarios of issue #12's goals, each on the backends where it means something.</summary>
internal static class Scenarios
{
    public static IEnumerable<Scenario> All(int runs)
    {
        foreach (var backend in new[] { TestBackend.File, TestBackend.Sqld })
        {
            yield return new("api-kill", backend, () => Single("api-kill", backend, null, false, t => () => { t.Apis[0].Kill(); return Task.CompletedTask; }, TimeSpan.FromSeconds(1), t => t.Apis[0].RestartAsync));
            yield return new("disk-full", backend, () => Single("disk-full", backend, FaultTarget.FullDiskBytes, false, t => () => { t.Disk!.Fill(); return Task.CompletedTask; }, TimeSpan.FromSeconds(6), t => () => { t.Disk!.Free(); return Task.CompletedTask; }));
        }

        yield return new("read-only", TestBackend.File, () => Single("read-only", TestBackend.File, null, true, t => () => ReadOnly(t, true), TimeSpan.FromSeconds(6), t => () => ReadOnly(t, false)));
        yield return new("sqld-kill", TestBackend.Sqld, () => Single("sqld-kill", TestBackend.Sqld, null, false, t => () => { t.Sqld!.Kill(); return Task.CompletedTask; }, TimeSpan.FromSeconds(3), t => t.Sqld!.RestartAsync));
        yield return new("sqld-stop", TestBackend.Sqld, () => Single("sqld-stop", TestBackend.Sqld, null, false, t => () => { t.Sqld!.Pause(); return Task.CompletedTask; }, TimeSpan.FromSeconds(6), t => () => { t.Sqld!.Resume(); return Task.CompletedTask; }));
        yield return new("one-series-16", TestBackend.Sqld, () => Contention(runs));
        yield return new("two-replicas", TestBackend.Sqld, TwoReplicas);
    }

    private static async Task<IReadOnlyList<FaultReport>> Single(
        string name, TestBackend backend, long? disk, bool withoutFileOverride, Func<FaultTarget, Func<Task>> inject, TimeSpan hold, Func<FaultTarget, Func<Task>> clear)
    {
        await using var target = await FaultTarget.StartAsync(backend, disk, withoutFileOverride: withoutFileOverride);
        var load = new IngestLoad([target.Apis[0].BaseAddress], target.IngestKey, writers: 4, batchSize: 200, sharedSeries: false);
        var report = await new FaultRun(name, Label(backend), load, target.Apis[0].BaseAddress, target.IngestKey).RunAsync(inject(target), hold, clear(target));
        if (!Goals.Met(report))
        {
            // A missed goal: show what the API logged about it (a 500's exception, the writer's failures).
            var log = target.Apis[0].Output.Split('\n');
            foreach (var at in Enumerable.Range(0, log.Length).Where(i => log[i].StartsWith("fail:", StringComparison.Ordinal) || log[i].StartsWith("warn:", StringComparison.Ordinal)).TakeLast(8))
            {
                Console.Error.WriteLine(string.Join('\n', log.Skip(at).Take(4)));
            }
        }

        return [report];
    }

    private static async Task<IReadOnlyList<FaultReport>> Contention(int runs)
    {
        await using var target = await FaultTarget.StartAsync(TestBackend.Sqld);
        var reports = new List<FaultReport>();
        for (var run = 1; run <= runs; run++)
        {
            var load = new IngestLoad([target.Apis[0].BaseAddress], target.IngestKey, writers: 16, batchSize: 100, sharedSeries: true);
            reports.Add(await new FaultRun($"one-series-16 #{run}", "sqld", load, target.Apis[0].BaseAddress, target.IngestKey).RunCleanAsync(TimeSpan.FromSeconds(5)));
        }

        reports[^1] = reports[^1] with { Notes = string.Join("; ", new[] { reports[^1].Notes, target.WriterRetries() }.Where(n => n.Length > 0)) };
        return reports;
    }

    private static async Task<IReadOnlyList<FaultReport>> TwoReplicas()
    {
        await using var target = await FaultTarget.StartAsync(TestBackend.Sqld, replicas: 2);
        var load = new IngestLoad([target.Apis[0].BaseAddress, target.Apis[1].BaseAddress], target.IngestKey, writers: 16, batchSize: 100, sharedSeries: false);
        var report = await new FaultRun("two-replicas", "sqld", load, target.Apis[0].BaseAddress, target.IngestKey).RunCleanAsync(TimeSpan.FromSeconds(10));

        // How the two writers met on the server: groups run again after the server's busy answer, per replica.
        return [report with { Notes = string.Join("; ", new[] { report.Notes, target.WriterRetries() }.Where(n => n.Length > 0)) }];
    }

    /// <summary>Makes the database file read-only (or writable again), as an operator's chmod or a wrong deployment would.</summary>
    private static Task ReadOnly(FaultTarget target, bool readOnly)
    {
        var mode = readOnly
            ? UnixFileMode.UserRead | UnixFileMode.GroupRead | UnixFileMode.OtherRead
            : UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.GroupRead | UnixFileMode.OtherRead;
        File.SetUnixFileMode(target.DatabaseFile!, mode);
        return Task.CompletedTask;
    }

    private static string Label(TestBackend backend) => backend == TestBackend.File ? "file" : "sqld";
}
