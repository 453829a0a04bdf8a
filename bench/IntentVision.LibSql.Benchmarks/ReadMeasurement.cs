/// <summary>What one read of the whole table cost, as the measuring process reports it (bytes; the peaks are during the read).</summary>
internal sealed record ReadMeasurement(
    string Name,
    long Rows,
    double Seconds,
    long WorkingSetBefore,
    long WorkingSetPeak,
    long HeapBefore,
    long HeapPeak,
    bool PeakFromKernel)
{
    public long WorkingSetAdded => Math.Max(0, WorkingSetPeak - WorkingSetBefore);

    public long HeapAdded => Math.Max(0, HeapPeak - HeapBefore);

    public double RowsPerSecond => Rows / Seconds;
}
