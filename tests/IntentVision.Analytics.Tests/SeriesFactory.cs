using IntentVision.Analytics.Series;

namespace IntentVision.Analytics.Tests;

/// <summary>Constructed series with a fixed seed, so every run sees the same data.</summary>
internal static class SeriesFactory
{
    public static readonly DateTimeOffset Start = new(2024, 1, 1, 0, 0, 0, TimeSpan.Zero);

    public static TimedValue[] Hourly(int count, Func<int, Random, double> value, int seed = 42)
    {
        var random = new Random(seed);
        return Enumerable.Range(0, count).Select(i => new TimedValue(Start.AddHours(i), value(i, random))).ToArray();
    }

    public static double Gaussian(Random random)
    {
        var u1 = 1.0 - random.NextDouble();
        var u2 = random.NextDouble();
        return Math.Sqrt(-2 * Math.Log(u1)) * Math.Cos(2 * Math.PI * u2);
    }

    public static double DailySine(int hour) => 10 + (3 * Math.Sin(2 * Math.PI * hour / 24.0));
}
