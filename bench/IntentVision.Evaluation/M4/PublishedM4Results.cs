using System.Globalization;

namespace IntentVision.Evaluation.M4;

/// <summary>Reads <c>published_point_forecasts_by_frequency.tsv</c> (two header rows; Hourly is the 6th column of each block).</summary>
public static class PublishedM4Results
{
    public static IReadOnlyList<PublishedM4Row> LoadHourly(string path)
    {
        var rows = new List<PublishedM4Row>();
        foreach (var line in File.ReadLines(path).Skip(2))
        {
            var f = line.Split('\t');
            if (f.Length < 22)
            {
                continue;
            }

            if (TryParse(f[6], out var smape) && TryParse(f[13], out var mase) && TryParse(f[20], out var owa))
            {
                rows.Add(new PublishedM4Row(f[0].Trim(), smape, mase, owa));
            }
        }

        return rows;
    }

    private static bool TryParse(string text, out double value) =>
        double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out value);
}
