using System.Globalization;
using IntentVision.Api.Ingestion;

namespace IntentVision.Api.Sources;

/// <summary>
/// Reads the Prometheus text exposition format (0.0.4): <c>name{label="value",...} value [timestamp_ms]</c> lines,
/// <c>#</c> comments. Each sample becomes a point: metric = sample name, dimensions = labels, timestamp = the
/// sample's own or the scrape time. NaN and infinite samples are skipped (the API stores finite values only).
/// <c># TYPE</c> and <c># HELP</c> lines give each sample its family's type (counter, gauge, histogram, summary,
/// untyped), also for the <c>_bucket</c>, <c>_sum</c>, <c>_count</c>, <c>_total</c> samples of a family.
/// </summary>
public static class PrometheusTextParser
{
    public static readonly IReadOnlyList<string> Types = ["counter", "gauge", "histogram", "summary", "untyped"];

    private static readonly string[] FamilySuffixes = ["_bucket", "_sum", "_count", "_total", "_created"];

    public static List<IngestPoint?> Parse(string text, DateTimeOffset scrapedAt) => ParseExposition(text, scrapedAt).Points;

    public static PrometheusExposition ParseExposition(string text, DateTimeOffset scrapedAt)
    {
        var points = new List<IngestPoint?>();
        var families = new Dictionary<string, (string Type, string? Help)>(StringComparer.Ordinal);
        var sampleTypes = new Dictionary<string, (string Type, string? Help)>(StringComparer.Ordinal);
        foreach (var raw in text.Split('\n'))
        {
            var line = raw.Trim();
            if (line.Length == 0)
            {
                continue;
            }

            if (line[0] == '#')
            {
                ReadComment(line, families);
                continue;
            }

            var i = 0;
            while (i < line.Length && line[i] != '{' && line[i] != ' ' && line[i] != '\t')
            {
                i++;
            }

            var name = line[..i];
            Dictionary<string, string?>? labels = null;
            if (i < line.Length && line[i] == '{')
            {
                labels = ParseLabels(line, ref i);
                if (labels is null)
                {
                    continue;
                }
            }

            var rest = line[i..].Trim().Split([' ', '\t'], StringSplitOptions.RemoveEmptyEntries);
            if (rest.Length == 0 || !TryParseValue(rest[0], out var value) || !double.IsFinite(value))
            {
                continue;
            }

            var timestamp = scrapedAt;
            if (rest.Length > 1 && long.TryParse(rest[1], NumberStyles.Integer, CultureInfo.InvariantCulture, out var ms))
            {
                timestamp = DateTimeOffset.FromUnixTimeMilliseconds(ms);
            }

            points.Add(new IngestPoint(name, timestamp, value, labels is { Count: > 0 } ? labels : null));
            sampleTypes.TryAdd(name, FamilyOf(name, families));
        }

        return new PrometheusExposition(points, sampleTypes);
    }

    private static void ReadComment(string line, Dictionary<string, (string Type, string? Help)> families)
    {
        var parts = line.Split([' ', '\t'], 4, StringSplitOptions.RemoveEmptyEntries);
        if (parts.Length < 3 || parts[0] != "#")
        {
            return;
        }

        var current = families.GetValueOrDefault(parts[2], ("untyped", null));
        if (parts[1] == "TYPE" && parts.Length == 4 && Types.Contains(parts[3].Trim()))
        {
            families[parts[2]] = (parts[3].Trim(), current.Help);
        }
        else if (parts[1] == "HELP")
        {
            var help = parts.Length == 4 ? parts[3] : string.Empty;
            families[parts[2]] = (current.Type, help.Length > 500 ? help[..500] : help);
        }
    }

    private static (string Type, string? Help) FamilyOf(string sample, Dictionary<string, (string Type, string? Help)> families)
    {
        if (families.TryGetValue(sample, out var exact))
        {
            return exact;
        }

        foreach (var suffix in FamilySuffixes)
        {
            if (sample.EndsWith(suffix, StringComparison.Ordinal) && families.TryGetValue(sample[..^suffix.Length], out var family))
            {
                return family;
            }
        }

        return ("untyped", null);
    }

    private static bool TryParseValue(string text, out double value)
    {
        switch (text)
        {
            case "+Inf":
                value = double.PositiveInfinity;
                return true;
            case "-Inf":
                value = double.NegativeInfinity;
                return true;
            case "NaN":
                value = double.NaN;
                return true;
            default:
                return double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out value);
        }
    }

    private static Dictionary<string, string?>? ParseLabels(string line, ref int i)
    {
        var labels = new Dictionary<string, string?>(StringComparer.Ordinal);
        i++;
        while (i < line.Length)
        {
            while (i < line.Length && (line[i] == ' ' || line[i] == ','))
            {
                i++;
            }

            if (i < line.Length && line[i] == '}')
            {
                i++;
                return labels;
            }

            var start = i;
            while (i < line.Length && line[i] != '=')
            {
                i++;
            }

            if (i + 1 >= line.Length || line[i + 1] != '"')
            {
                return null;
            }

            var key = line[start..i].Trim();
            i += 2;
            var value = new System.Text.StringBuilder();
            while (i < line.Length && line[i] != '"')
            {
                if (line[i] == '\\' && i + 1 < line.Length)
                {
                    i++;
                    value.Append(line[i] == 'n' ? '\n' : line[i]);
                }
                else
                {
                    value.Append(line[i]);
                }

                i++;
            }

            i++;
            labels[key] = value.ToString();
        }

        return null;
    }
}
