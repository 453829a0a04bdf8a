using System.Numerics;

namespace IntentVision.Analytics.Numerics;

/// <summary>
/// Insertion sort, for the handful of values a detector sorts at every point (small medians, a step's active contexts):
/// below about 16 values it beats the general sort, whose set-up costs more than the sorting.
/// </summary>
internal static class InsertionSort
{
    public static void Sort<T>(Span<T> values)
        where T : struct, IComparisonOperators<T, T, bool>
    {
        for (var i = 1; i < values.Length; i++)
        {
            var v = values[i];
            var j = i - 1;
            while (j >= 0 && values[j] > v)
            {
                values[j + 1] = values[j];
                j--;
            }

            values[j + 1] = v;
        }
    }
}
