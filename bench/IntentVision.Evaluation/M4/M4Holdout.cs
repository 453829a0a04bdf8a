namespace IntentVision.Evaluation.M4;

/// <summary>
/// Development sets that never touch a test file. <see cref="TrainTail"/> holds out the last horizon of each
/// training series. <see cref="HourlyProxy"/> builds series of another frequency's shape by averaging blocks of
/// hours of the M4 Hourly training series: PROXIES for checking that settings generalise, never M4 scores.
/// </summary>
public static class M4Holdout
{
    /// <summary>Hours averaged into one point of each frequency's proxy.</summary>
    public static int ProxyBlockHours(M4Frequency frequency) => frequency.Key switch
    {
        "hourly" => 1,

        // 2-hour blocks: 12 a day, so the daily cycle plays the part of a monthly series' yearly season.
        "monthly" => 2,

        // 6-hour blocks: 4 a day, the daily cycle as a quarterly series' season.
        "quarterly" => 6,

        // Daily means (29 or 40 points): short series without the frequency's calendar season.
        _ => 24,
    };

    public static IReadOnlyList<M4Series> TrainTail(IEnumerable<M4Series> series, int horizon)
    {
        var result = new List<M4Series>();
        foreach (var s in series)
        {
            // A series must keep at least two points to forecast from.
            if (s.Train.Length >= horizon + 2)
            {
                result.Add(new M4Series(s.Id, s.Train[..^horizon], s.Train[^horizon..]));
            }
        }

        return result;
    }

    public static IReadOnlyList<M4Series> HourlyProxy(IEnumerable<M4Series> hourlyTrain, M4Frequency frequency)
    {
        var block = ProxyBlockHours(frequency);
        var aggregated = hourlyTrain.Select(s => new M4Series($"{s.Id}/{block}h", BlockMeans(s.Train, block), []));
        return TrainTail(aggregated, frequency.Horizon);
    }

    /// <summary>Means of consecutive blocks, aligned to the end of the series (an incomplete first block is dropped).</summary>
    public static double[] BlockMeans(double[] values, int block)
    {
        var count = values.Length / block;
        var skip = values.Length - (count * block);
        var result = new double[count];
        for (var i = 0; i < count; i++)
        {
            var sum = 0.0;
            for (var j = 0; j < block; j++)
            {
                sum += values[skip + (i * block) + j];
            }

            result[i] = sum / block;
        }

        return result;
    }
}
