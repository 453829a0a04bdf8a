using System.Runtime.CompilerServices;

namespace IntentVision.Analytics.AnomalyDetection;

/// <summary>
/// One detector's reading of a point: what it expected, how far off the value is in robust SDs, and the robust SD
/// it judged by (0 until it has seen enough to judge).
/// </summary>
internal readonly record struct Deviation(double Expected, double Z, double Scale)
{
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Deviation None(double expected) => new(expected, 0, 0);
}
