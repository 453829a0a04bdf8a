using IntentVision.Evaluation.M4;

namespace IntentVision.Analytics.Tests.Forecasting;

/// <summary>
/// Series shaped like each M4 frequency's (lengths, horizons, seasons), from a fixed seed. M4 pools series of many
/// domains, and no single method suits them all; so does each set here: it mixes, in equal shares, five kinds, each
/// suited to a different model: growth by a steady ratio (log-scale trend models), growth by a steady amount with
/// stationary noise (linear trend), a random walk (naive, SES), a trend that dies out (damped), and a level that
/// shifts once (robust level models). A share of the series carries the frequency's season (hourly ones a daily
/// and, for half of them, a weekly cycle), multiplying growth by ratios and adding to the rest.
/// They stand in for data tests do not have: what they show is auto's behaviour, not an M4 score.
/// </summary>
internal static class SyntheticM4
{
    private const int Kinds = 5;

    private sealed record Shape(int MinLength, int MaxLength, int Season, double SeasonShare, double Amplitude, double Drift, double Noise);

    public static IReadOnlyList<M4Series> For(M4Frequency frequency, int count, int seed = 11)
    {
        var random = new Random(seed);
        var shape = frequency.Key switch
        {
            "hourly" => new Shape(300, 700, 24, 0.9, 0.3, 0.001, 0.02),
            "daily" => new Shape(93, 600, 7, 0.2, 0.05, 0.001, 0.012),
            "weekly" => new Shape(80, 600, 52, 0.3, 0.1, 0.003, 0.025),
            "monthly" => new Shape(42, 300, 12, 0.6, 0.2, 0.006, 0.04),
            "quarterly" => new Shape(16, 120, 4, 0.6, 0.15, 0.015, 0.04),
            _ => new Shape(13, 60, 1, 0.0, 0, 0.04, 0.06),
        };
        var result = new List<M4Series>();
        for (var s = 0; s < count; s++)
        {
            var kind = s % Kinds;
            var n = shape.MinLength + (int)((shape.MaxLength - shape.MinLength) * Math.Pow(random.NextDouble(), 2));
            var total = n + frequency.Horizon;
            var noise = shape.Noise * (0.5 + random.NextDouble());
            var drift = shape.Drift * (0.5 + random.NextDouble());
            var seasonal = random.NextDouble() < shape.SeasonShare;
            var weekly = frequency == M4Frequency.Hourly && random.NextDouble() < 0.5;
            var pattern = Pattern(random, shape.Season, shape.Amplitude * (0.3 + random.NextDouble()));
            var scale = 100 + (5000 * random.NextDouble());
            var values = new double[total];
            double level = 0, slope = drift, ar = 0;
            var damping = 0.8 + (0.15 * random.NextDouble());
            var shiftAt = (n / 3) + random.Next(n / 2);
            var shift = 8 * noise * (random.NextDouble() < 0.5 ? -1 : 1);
            for (var t = 0; t < total; t++)
            {
                var season = (seasonal ? pattern[t % shape.Season] : 0) + (weekly && t / 24 % 7 >= 5 ? -0.2 : 0);
                switch (kind)
                {
                    case 0:
                        level += drift + (noise * SeriesFactory.Gaussian(random));
                        values[t] = scale * Math.Exp(level + season);
                        continue;
                    case 1:
                        ar = (0.5 * ar) + (noise * SeriesFactory.Gaussian(random));
                        level = (drift * t) + ar;
                        break;
                    case 2:
                        level += noise * SeriesFactory.Gaussian(random);
                        break;
                    case 3:
                        slope *= damping;
                        level += (4 * slope) + (noise * SeriesFactory.Gaussian(random));
                        break;
                    default:
                        level = (t >= shiftAt ? shift : 0) + (noise * SeriesFactory.Gaussian(random));
                        break;
                }

                values[t] = scale * Math.Max(0.05, 1 + level + season);
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
}
