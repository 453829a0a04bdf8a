using System.Globalization;

namespace IntentVision.Evaluation.M4;

/// <summary>
/// Reads <c>published_point_forecasts_by_frequency.tsv</c>: two header rows, then per method three blocks of seven
/// columns (sMAPE, MASE, OWA), each block Yearly, Quarterly, Monthly, Weekly, Daily, Hourly, Total.
/// </summary>
public static class PublishedM4Results
{
    private const int BlockWidth = 7;

    public static IReadOnlyList<PublishedM4Row> Load(string path, M4Frequency frequency)
    {
        var rows = new List<PublishedM4Row>();
        var column = 1 + frequency.PublishedColumn;
        foreach (var line in File.ReadLines(path).Skip(2))
        {
            var f = line.Split('\t');
            if (f.Length < 1 + (3 * BlockWidth))
            {
                continue;
            }

            if (TryParse(f[column], out var smape) && TryParse(f[column + BlockWidth], out var mase) && TryParse(f[column + (2 * BlockWidth)], out var owa))
            {
                rows.Add(new PublishedM4Row(f[0].Trim(), smape, mase, owa));
            }
        }

        return rows;
    }

    private static bool TryParse(string text, out double value) =>
        double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out value);
}
