using System.Globalization;
using System.Text.Json;

namespace IntentVision.Evaluation.Nab;

/// <summary>Reads NAB-format data files (<c>timestamp,value</c>) and the combined label windows.</summary>
public static class NabDataset
{
    private static readonly string[] TimestampFormats = ["yyyy-MM-dd HH:mm:ss", "yyyy-MM-dd HH:mm:ss.ffffff", "yyyy-MM-dd HH:mm", "yyyy-MM-ddTHH:mm:ss", "yyyy-MM-ddTHH:mm:ssZ"];

    /// <summary>Every CSV under <paramref name="dataDirectory"/>, keyed like NAB's labels: "folder/file.csv".</summary>
    public static IReadOnlyList<(string Key, string Path)> FindFiles(string dataDirectory) =>
        Directory.EnumerateFiles(dataDirectory, "*.csv", SearchOption.AllDirectories)
            .Select(path => (Path.GetRelativePath(dataDirectory, path).Replace('\\', '/'), path))
            .OrderBy(p => p.Item1, StringComparer.Ordinal)
            .ToArray();

    /// <summary>Every data file under <paramref name="dataDirectory"/>, in key order.</summary>
    public static IReadOnlyList<NabSeries> ReadCorpus(string dataDirectory) =>
        FindFiles(dataDirectory).Select(f =>
        {
            var (timestamps, values) = ReadSeries(f.Path);
            return new NabSeries(f.Key, timestamps, values);
        }).ToArray();

    public static (DateTime[] Timestamps, double[] Values) ReadSeries(string path)
    {
        var timestamps = new List<DateTime>();
        var values = new List<double>();
        foreach (var line in File.ReadLines(path).Skip(1))
        {
            if (string.IsNullOrWhiteSpace(line))
            {
                continue;
            }

            var comma = line.IndexOf(',', StringComparison.Ordinal);
            timestamps.Add(ParseTimestamp(line[..comma]));
            values.Add(double.Parse(line[(comma + 1)..], NumberStyles.Float, CultureInfo.InvariantCulture));
        }

        return ([.. timestamps], [.. values]);
    }

    public static IReadOnlyDictionary<string, IReadOnlyList<NabWindow>> ReadLabels(string path)
    {
        using var stream = File.OpenRead(path);
        var document = JsonDocument.Parse(stream);
        var result = new Dictionary<string, IReadOnlyList<NabWindow>>(StringComparer.Ordinal);
        foreach (var entry in document.RootElement.EnumerateObject())
        {
            var windows = entry.Value.EnumerateArray()
                .Select(pair => new NabWindow(ParseTimestamp(pair[0].GetString()!), ParseTimestamp(pair[1].GetString()!)))
                .ToArray();
            result[entry.Name] = windows;
        }

        return result;
    }

    public static DateTime ParseTimestamp(string text) =>
        DateTime.ParseExact(text.Trim().Trim('"'), TimestampFormats, CultureInfo.InvariantCulture, DateTimeStyles.AdjustToUniversal | DateTimeStyles.AssumeUniversal);
}
