using System.Globalization;
using System.Text;

namespace IntentVision.Api.Ingestion;

/// <summary>
/// Reads <c>text/csv</c>: a header row naming <c>timestamp</c>, <c>metric</c> and <c>value</c> (any order, any case);
/// every other column is a dimension, an empty cell meaning "no such dimension". Fields may be quoted with
/// <c>"</c> (a doubled quote inside is a quote). Timestamps are ISO-8601 with an offset (<see cref="TimestampText"/>)
/// or Unix seconds or milliseconds. A UTF-8 byte order mark is skipped; a column named twice (ignoring case) is an
/// error of the header. Cells that cannot be parsed are reported as <c>rows[i].field</c>, i counting data rows from 0.
/// </summary>
public static class CsvPointReader
{
    public static (IngestRequest Request, ValidationErrors Errors) Read(string text)
    {
        var errors = new ValidationErrors();

        // Excel writes UTF-8 with a byte order mark.
        var lines = SplitRecords(text.StartsWith('\uFEFF') ? text[1..] : text);
        if (lines.Count == 0)
        {
            errors.Add("header", "is required: timestamp,metric,value[,dimension...]");
            return (new IngestRequest([]), errors);
        }

        var header = lines[0].Select(h => h.Trim()).ToList();
        foreach (var name in header.GroupBy(h => h, StringComparer.OrdinalIgnoreCase).Where(g => g.Count() > 1).Select(g => g.Key))
        {
            errors.Add("header", $"names the column '{Shorten(name)}' more than once");
        }

        int Column(string name) => header.FindIndex(h => h.Equals(name, StringComparison.OrdinalIgnoreCase));
        var (tsColumn, metricColumn, valueColumn) = (Column("timestamp"), Column("metric"), Column("value"));
        foreach (var (name, index) in new[] { ("timestamp", tsColumn), ("metric", metricColumn), ("value", valueColumn) })
        {
            if (index < 0)
            {
                errors.Add("header", $"has no '{name}' column");
            }
        }

        if (errors.Any)
        {
            return (new IngestRequest([]), errors);
        }

        var dimensionColumns = Enumerable.Range(0, header.Count).Where(i => i != tsColumn && i != metricColumn && i != valueColumn).ToList();
        var points = new List<IngestPoint?>(lines.Count - 1);
        for (var r = 1; r < lines.Count; r++)
        {
            var row = lines[r];
            var at = $"rows[{r - 1}]";
            if (row.Count != header.Count)
            {
                errors.Add(at, $"has {row.Count} fields; the header has {header.Count}");
                points.Add(null);
                continue;
            }

            var cell = row[tsColumn];
            DateTimeOffset? timestamp = ParseTimestamp(cell);
            if (timestamp is null && cell.Length > 0)
            {
                errors.Add($"{at}.timestamp", $"'{Shorten(cell)}' {TimestampProblem(cell)}");
            }

            double? value = null;
            if (double.TryParse(row[valueColumn], NumberStyles.Float, CultureInfo.InvariantCulture, out var parsed))
            {
                value = parsed;
            }
            else if (row[valueColumn].Length > 0)
            {
                errors.Add($"{at}.value", $"'{Shorten(row[valueColumn])}' is not a number");
            }

            Dictionary<string, string?>? dimensions = null;
            foreach (var c in dimensionColumns)
            {
                if (row[c].Length > 0)
                {
                    dimensions ??= new Dictionary<string, string?>(StringComparer.Ordinal);
                    dimensions[header[c]] = row[c];
                }
            }

            points.Add(new IngestPoint(row[metricColumn].Length == 0 ? null : row[metricColumn], timestamp, value, dimensions));
        }

        return (new IngestRequest(points), errors);
    }

    private static DateTimeOffset? ParseTimestamp(string text)
    {
        if (long.TryParse(text, NumberStyles.Integer, CultureInfo.InvariantCulture, out var number))
        {
            // Below 10^11 a number is seconds (until the year 5138); above, milliseconds.
            try
            {
                return number < 100_000_000_000 ? DateTimeOffset.FromUnixTimeSeconds(number) : DateTimeOffset.FromUnixTimeMilliseconds(number);
            }
            catch (ArgumentOutOfRangeException)
            {
                return null;
            }
        }

        return TimestampText.HasOffset(text) && DateTimeOffset.TryParse(text, CultureInfo.InvariantCulture, DateTimeStyles.None, out var parsed) ? parsed : null;
    }

    private static string TimestampProblem(string cell) =>
        long.TryParse(cell, NumberStyles.Integer, CultureInfo.InvariantCulture, out _) ? "is out of range for Unix seconds/milliseconds"
        : DateTimeOffset.TryParse(cell, CultureInfo.InvariantCulture, out _) ? TimestampText.OffsetRequired
        : "is not an ISO-8601 time with an offset, nor Unix seconds/milliseconds";

    private static List<List<string>> SplitRecords(string text)
    {
        var records = new List<List<string>>();
        var fields = new List<string>();
        var field = new StringBuilder();
        var quoted = false;
        for (var i = 0; i < text.Length; i++)
        {
            var c = text[i];
            if (quoted)
            {
                if (c == '"' && i + 1 < text.Length && text[i + 1] == '"')
                {
                    field.Append('"');
                    i++;
                }
                else if (c == '"')
                {
                    quoted = false;
                }
                else
                {
                    field.Append(c);
                }
            }
            else if (c == '"' && field.Length == 0)
            {
                quoted = true;
            }
            else if (c == ',')
            {
                fields.Add(field.ToString());
                field.Clear();
            }
            else if (c is '\n' or '\r')
            {
                if (c == '\r' && i + 1 < text.Length && text[i + 1] == '\n')
                {
                    i++;
                }

                EndRecord();
            }
            else
            {
                field.Append(c);
            }
        }

        EndRecord();
        return records;

        void EndRecord()
        {
            fields.Add(field.ToString());
            field.Clear();
            if (fields.Count > 1 || fields[0].Trim().Length > 0)
            {
                records.Add(fields.Select(f => f.Trim()).ToList());
            }

            fields = [];
        }
    }

    private static string Shorten(string text) => text.Length <= 40 ? text : text[..40] + "…";
}
