using System.Runtime.CompilerServices;

namespace IntentVision.Analytics.AnomalyDetection;

/// <summary>
/// One grid the contextual detector sees values on: 2^<paramref name="Bits"/> equal bins of the range seen so far, the
/// edges moved down by <paramref name="Shift"/> of a bin (0 to 1; the lowest bin is then narrower and the highest wider).
/// </summary>
internal readonly record struct ContextQuantisation(int Bits, double Shift)
{
    public int Bins => 1 << Bits;

    /// <summary>The bin of <paramref name="value"/> in the range [<paramref name="low"/>, low + <paramref name="range"/>]; 0 when the range is empty.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public int Bin(double value, double low, double range) => range > 0 ? BinOfScaled(Scaled(value, low, range)) : 0;

    /// <summary>The value in bin widths from the bottom of a non-empty range: the part of <see cref="Bin"/> grids of one size share.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public double Scaled(double value, double low, double range) => (value - low) / range * Bins;

    /// <summary>The bin of a value <see cref="Scaled"/> on a grid of this size.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public int BinOfScaled(double scaled) => Math.Clamp((int)(scaled + Shift), 0, Bins - 1);

    /// <summary>The grids <paramref name="options"/> ask for, the published single grid first.</summary>
    public static ContextQuantisation[] For(AnomalyDetectorOptions options)
    {
        var bits = options.ContextBits;
        var size = options.ContextBagSize;
        return options.ContextBagging switch
        {
            ContextBagging.ShiftedEdges => [.. Enumerable.Range(0, size).Select(j => new ContextQuantisation(bits, (double)j / size))],
            ContextBagging.NeighbouringBits => [.. Enumerable.Range(0, size)
                .Select(j => Math.Clamp(bits + j - ((size - 1) / 2), 1, 8))
                .Distinct()
                .OrderBy(b => b == bits ? 0 : 1)
                .Select(b => new ContextQuantisation(b, 0))],
            _ => [new ContextQuantisation(bits, 0)],
        };
    }
}
