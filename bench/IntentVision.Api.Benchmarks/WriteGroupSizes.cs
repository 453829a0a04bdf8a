using System.Diagnostics.Metrics;

namespace IntentVision.Api.Benchmarks;

/// <summary>
/// How many units the database writer committed per group, read from its own metric
/// (<c>intentvision.writer.group.units</c>) while a window of the benchmark runs: a serial writer amortises its COMMIT
/// and detection's per-group work over the units of a group, so the size tells how much concurrency it turned into batching.
/// </summary>
internal sealed class WriteGroupSizes : IDisposable
{
    private readonly MeterListener _listener = new();
    private long _groups;
    private long _units;

    public WriteGroupSizes()
    {
        _listener.InstrumentPublished = (instrument, listener) =>
        {
            if (instrument.Name == "intentvision.writer.group.units")
            {
                listener.EnableMeasurementEvents(instrument);
            }
        };
        _listener.SetMeasurementEventCallback<int>((_, units, _, _) =>
        {
            Interlocked.Increment(ref _groups);
            Interlocked.Add(ref _units, units);
        });
        _listener.Start();
    }

    /// <summary>Groups and units since the last call, then starts counting afresh.</summary>
    public (long Groups, double UnitsPerGroup) Take()
    {
        var groups = Interlocked.Exchange(ref _groups, 0);
        var units = Interlocked.Exchange(ref _units, 0);
        return (groups, groups == 0 ? 0 : (double)units / groups);
    }

    public void Dispose() => _listener.Dispose();
}
