using System.Diagnostics.Metrics;
using IntentVision.LibSql;

namespace IntentVision.Data.Writing;

/// <summary>
/// The writer's instruments (meter <c>IntentVision.Data</c>): groups committed and their duration, units per group,
/// failures and retries by kind, and the queue length. What the runbook reads to tell a slow writer from a failing one.
/// </summary>
internal sealed class WriterMetrics : IDisposable
{
    public const string MeterName = "IntentVision.Data";

    private readonly Meter _meter = new(MeterName);
    private readonly Histogram<double> _groupDuration;
    private readonly Histogram<int> _groupUnits;
    private readonly Counter<long> _failures;
    private readonly Counter<long> _retries;

    public WriterMetrics(Func<int> queueLength)
    {
        _groupDuration = _meter.CreateHistogram<double>("intentvision.writer.group.duration", unit: "s", description: "Time from BEGIN to COMMIT of each committed write group.");
        _groupUnits = _meter.CreateHistogram<int>("intentvision.writer.group.units", unit: "{unit}", description: "Units of work committed together in one group.");
        _failures = _meter.CreateCounter<long>("intentvision.writer.failures", unit: "{group}", description: "Write groups that failed, by failure kind (Busy, Unavailable, Storage, ReadOnly, Damaged, Refused, Statement).");
        _retries = _meter.CreateCounter<long>("intentvision.writer.retries", unit: "{group}", description: "Write groups run again after a failure that committed nothing, by failure kind.");
        _meter.CreateObservableGauge("intentvision.writer.queue.length", queueLength, unit: "{unit}", description: "Units waiting for the writer.");
    }

    public void Committed(int units, TimeSpan duration)
    {
        _groupUnits.Record(units);
        _groupDuration.Record(duration.TotalSeconds);
    }

    public void Failed(LibSqlException? failure) => _failures.Add(1, new KeyValuePair<string, object?>("kind", Kind(failure)));

    public void Retried(Exception failure) => _retries.Add(1, new KeyValuePair<string, object?>("kind", Kind(failure as LibSqlException)));

    public void Dispose() => _meter.Dispose();

    private static string Kind(LibSqlException? failure) => failure?.Kind.ToString() ?? "Bug";
}
