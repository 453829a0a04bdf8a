using IntentVision.Evaluation.M4;

namespace IntentVision.Analytics.Tests.Forecasting;

/// <summary>
/// Series shaped like each M4 frequency's, from a fixed seed. Like M4, a set mixes series of different kinds, so no
/// single method suits them all: the level follows one of five regimes (random walk with drift, a trend whose slope
/// wanders, a trend-stationary series, a damped trend, a level shift), a share of the series carries the frequency's
/// season (hourly ones a daily and often a weekly cycle), and the series grows by ratios (log level) or by amounts,
/// half and half, so that neither log-scale nor raw-scale models suit the whole set.
/// They stand in for data tests do not have: what they show is auto's behaviour, not an M4 score.
/// </summary>
internal static class SyntheticM4
{
    private sealed record Shape(int MinLength, int MaxLength, int Season, double SeasonShare, double Amplitude, double Drift, double Noise);

    public static IReadOnlyList<M4Series> For(M4Frequency frequency, int count, int seed = 11)
    {
        var random = new Random(seed);
        var shape = frequency.Key switch
        {
            "hourly" => new Shape(300, 700, 24, 0.9, 0.3, 0.0005, 0.01),
            "daily" => new Shape(93, 600, 7, 0.2, 0.05, 0.0005, 0.012),
            "weekly" => new Shape(80, 600, 52, 0.3, 0.1, 0.002, 0.025),
            "monthly" => new Shape(42, 300, 12, 0.6, 0.2, 0.004, 0.04),
            "quarterly" => new Shape(16, 120, 4, 0.6, 0.15, 0.012, 0.04),
            _ => new Shape(13, 60, 1, 0.0, 0, 0.04, 0.08),
        };
        var result = new List<M4Series>();
        for (var s = 0; s < count; s++)
        {
            var n = shape.MinLength + (int)((shape.MaxLength - shape.MinLength) * Math.Pow(random.NextDouble(), 2));
            var total = n + frequency.Horizon;
            var level = Level(random, total, shape.Drift, shape.Noise * (0.5 + random.NextDouble()));
            var seasonal = random.NextDouble() < shape.SeasonShare;
            var weekly = frequency == M4Frequency.Hourly && random.NextDouble() < 0.5;
            var pattern = Pattern(random, shape.Season, shape.Amplitude * (0.3 + random.NextDouble()));
            var multiplicative = random.NextDouble() < 0.5;
            var scale = 100 + (5000 * random.NextDouble());
            var values = new double[total];
            for (var t = 0; t < total; t++)
            {
                var season = (seasonal ? pattern[t % shape.Season] : 0) + (weekly && t / 24 % 7 >= 5 ? -0.2 : 0);
                values[t] = multiplicative
                    ? scale * Math.Exp(level[t] + season)
                    : scale * Math.Max(0.05, 1 + level[t] + season);
            }

            result.Add(new M4Series($"{frequency.Name[0]}{s + 1}", values[..n], values[n..]));
        }

        return result;
    }

    /// <summary>A season of one of two shapes: a shifted sine, or an irregular profile.</summary>
    private static double[] Pattern(Random random, int season, double amplitude)
    {
        var phase = random.NextDouble() * 2 * Math.PI;
        var smooth = random.NextDouble() < 0.5;
        var pattern = new double[season];
        for (var p = 0; p < season; p++)
        {
            pattern[p] = amplitude * (smooth ? Math.Sin((2 * Math.PI * p / season) + phase) : SeriesFactory.Gaussian(random));
        }

        return pattern;
    }

    private static double[] Level(Random random, int n, double drift, double noise)
    {
        var y = new double[n];
        var regime = random.Next(5);
        var slope = drift * ((0.8 * SeriesFactory.Gaussian(random)) + 0.6);
        var damping = 0.85 + (0.14 * random.NextDouble());
        var shiftAt = random.Next(n);
        double level = 0, ar = 0;
        for (var t = 0; t < n; t++)
        {
            switch (regime)
            {
                case 0:
                    level += slope + (noise * SeriesFactory.Gaussian(random));
                    y[t] = level;
                    break;
                case 1:
                    slope += 0.15 * drift * SeriesFactory.Gaussian(random);
                    level += slope + (0.5 * noise * SeriesFactory.Gaussian(random));
                    y[t] = level + (0.5 * noise * SeriesFactory.Gaussian(random));
                    break;
                case 2:
                    ar = (0.6 * ar) + (noise * SeriesFactory.Gaussian(random));
                    y[t] = (slope * t) + ar;
                    break;
                case 3:
                    slope *= damping;
                    level += slope + (noise * SeriesFactory.Gaussian(random));
                    y[t] = level;
                    break;
                default:
                    level += (0.5 * noise * SeriesFactory.Gaussian(random)) + (t == shiftAt ? 6 * noise * SeriesFactory.Gaussian(random) : 0);
                    y[t] = level + (0.7 * noise * SeriesFactory.Gaussian(random));
                    break;
            }
        }

        return y;
    }
}
