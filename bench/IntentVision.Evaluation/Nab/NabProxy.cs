namespace IntentVision.Evaluation.Nab;

/// <summary>
/// Proxies for behaviour the local NAB files lack, built from those files alone (never NAB scores: they are printed
/// as PROXY). Each keeps a file's timestamps and labelled windows and changes what the values look like:
/// <list type="bullet">
/// <item><see cref="NabProxyKind.Counts"/>: bursty seasonal counts, like the tweet volumes of realTweets. The file's
/// values, scaled robustly to a rate of about 40 a row, are modulated by a daily cycle and quieter weekends; short
/// bursts (heavy-tailed, unlabelled: part of normal life) start on about one row in 400 and decay; each row is a
/// Poisson count of the resulting rate.</item>
/// <item><see cref="NabProxyKind.Seasonal"/>: a daily and weekly pattern added to the values (a daytime bump of 1.5
/// times the file's 5-95% range, 40% lower on weekends), like demand series (nyc_taxi) or machine load.</item>
/// </list>
/// Every constant here was fixed before any detector was measured on the proxies; the generator is seeded by the
/// file's key, so every run builds the same corpus.
/// </summary>
public static class NabProxy
{
    /// <summary>Separates the proxy's name from the file name in a key ("folder/counts~file.csv").</summary>
    public const char Marker = '~';

    private const double CountRate = 40;
    private const double BurstChance = 1.0 / 400;
    private const double BurstHalfLife = 3;
    private const double SeasonAmplitude = 1.5;
    private const double WeekendFactor = 0.6;

    /// <summary>The corpus the <c>--proxy</c> option asks for: one proxy, or the originals and both proxies together.</summary>
    public static IReadOnlyList<NabSeries> Build(IReadOnlyList<NabSeries> corpus, NabProxyKind? kind) => kind switch
    {
        null => corpus,
        NabProxyKind.Mixed => [.. corpus, .. corpus.Select(s => Apply(s, NabProxyKind.Counts)), .. corpus.Select(s => Apply(s, NabProxyKind.Seasonal))],
        { } one => [.. corpus.Select(s => Apply(s, one))],
    };

    /// <summary>The labels key of the file a (possibly proxy) key was made from.</summary>
    public static string SourceKey(string key)
    {
        var slash = key.LastIndexOf('/');
        var marker = key.IndexOf(Marker, slash + 1);
        return marker < 0 ? key : key[..(slash + 1)] + key[(marker + 1)..];
    }

    public static NabSeries Apply(NabSeries series, NabProxyKind kind)
    {
        var random = new Random(NabBatches.Seed(series.Key + Marker + kind));
        var values = kind switch
        {
            NabProxyKind.Counts => Counts(series, random),
            NabProxyKind.Seasonal => Seasonal(series),
            _ => throw new ArgumentOutOfRangeException(nameof(kind), kind, "a single proxy"),
        };
        var slash = series.Key.LastIndexOf('/');
        var key = series.Key[..(slash + 1)] + kind.ToString().ToLowerInvariant() + Marker + series.Key[(slash + 1)..];
        return new NabSeries(key, series.Timestamps, values);
    }

    private static double[] Counts(NabSeries series, Random random)
    {
        var (low, high) = (Quantile(series.Values, 0.01), Quantile(series.Values, 0.99));
        var span = high > low ? high - low : 1;
        var counts = new double[series.Values.Length];
        var burst = 0.0;
        for (var i = 0; i < counts.Length; i++)
        {
            var level = Math.Max(-0.2, (series.Values[i] - low) / span);
            var rate = CountRate * (0.3 + level) * Daily(series.Timestamps[i], 0.6);
            burst *= Math.Pow(0.5, 1 / BurstHalfLife);
            if (random.NextDouble() < BurstChance)
            {
                // Pareto(alpha 2) sizes, capped: most bursts are smaller than the series' ordinary rate, a few twice it.
                burst += CountRate * Math.Min(2, 0.4 / Math.Sqrt(1 - random.NextDouble()));
            }

            counts[i] = Poisson(Math.Max(0, rate + burst), random);
        }

        return counts;
    }

    private static double[] Seasonal(NabSeries series)
    {
        var amplitude = SeasonAmplitude * (Quantile(series.Values, 0.95) - Quantile(series.Values, 0.05));
        if (!(amplitude > 0))
        {
            amplitude = Math.Max(1, Math.Abs(series.Values.Average()));
        }

        var values = new double[series.Values.Length];
        for (var i = 0; i < values.Length; i++)
        {
            var t = series.Timestamps[i];
            var hour = t.Hour + (t.Minute / 60.0);
            var bump = 0.5 - (0.5 * Math.Cos(2 * Math.PI * hour / 24));
            values[i] = series.Values[i] + (amplitude * bump * Weekday(t));
        }

        return values;
    }

    /// <summary>A daily cycle peaking mid-afternoon (1 ± <paramref name="depth"/>), times the weekend factor.</summary>
    private static double Daily(DateTime t, double depth) =>
        (1 + (depth * Math.Sin(2 * Math.PI * (t.Hour + (t.Minute / 60.0) - 9) / 24))) * Weekday(t);

    private static double Weekday(DateTime t) => t.DayOfWeek is DayOfWeek.Saturday or DayOfWeek.Sunday ? WeekendFactor : 1;

    private static double Poisson(double rate, Random random)
    {
        if (rate > 30)
        {
            // Normal approximation (Box-Muller), ample for counts of this size.
            var z = Math.Sqrt(-2 * Math.Log(1 - random.NextDouble())) * Math.Cos(2 * Math.PI * random.NextDouble());
            return Math.Max(0, Math.Round(rate + (Math.Sqrt(rate) * z)));
        }

        var limit = Math.Exp(-rate);
        var k = 0;
        for (var p = random.NextDouble(); p > limit; p *= random.NextDouble())
        {
            k++;
        }

        return k;
    }

    private static double Quantile(double[] values, double q)
    {
        var sorted = values.Order().ToArray();
        return sorted[(int)Math.Clamp(Math.Round(q * (sorted.Length - 1)), 0, sorted.Length - 1)];
    }
}

/// <summary>Which proxy <see cref="NabProxy"/> builds.</summary>
public enum NabProxyKind
{
    Counts,
    Seasonal,

    /// <summary>The original files plus both proxies of each, scored together (one threshold, as the judge sweeps one).</summary>
    Mixed,
}
