using System.Diagnostics.Metrics;

namespace IntentVision.Api.Benchmarks;

/// <summary>
/// How many units the database writer committed per group and how long its groups took (BEGIN to COMMIT), read from its
/// own metrics (<c>intentvision.writer.group.units</c>, <c>.duration</c>) while a window of the benchmark runs: a serial
/// writer amortises its COMMIT and detection's per-group work over the units of a group, so the size tells how much
/// concurrency it turned into batching, and the writer's time per unit is the serial path every point waits on.
/// </summary>
internal sealed class WriteGroupSizes : IDisposable
{
    private readonly MeterListener _listener = new();
    private long _groups;
    private long _units;
    private double _seconds;
    private readonly Lock _secondsLock = new();

    public WriteGroupSizes()
    {
        _listener.InstrumentPublished = (instrument, listener) =>
        {
            if (instrument.Name is "intentvision.writer.group.units" or "intentvision.writer.group.duration")
            {
                listener.EnableMeasurementEvents(instrument);
            }
        };
        _listener.SetMeasurementEventCallback<int>((_, units, _, _) =>
        {
            Interlocked.Increment(ref _groups);
            Interlocked.Add(ref _units, units);
        });
        _listener.SetMeasurementEventCallback<double>((_, seconds, _, _) =>
        {
            lock (_secondsLock)
            {
                _seconds += seconds;
            }
        });
        _listener.Start();
    }

    /// <summary>Groups, units per group and the writer's milliseconds per unit since the last call, then starts counting afresh.</summary>
    public (long Groups, double UnitsPerGroup, double MillisecondsPerUnit) Take()
    {
        var groups = Interlocked.Exchange(ref _groups, 0);
        var units = Interlocked.Exchange(ref _units, 0);
        double seconds;
        lock (_secondsLock)
        {
            (seconds, _seconds) = (_seconds, 0);
        }

        return (groups, groups == 0 ? 0 : (double)units / groups, units == 0 ? 0 : seconds * 1000 / units);
    }

    public void Dispose() => _listener.Dispose();
}
