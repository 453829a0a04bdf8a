using System.Globalization;

namespace IntentVision.Evaluation.M4;

/// <summary>Reads the M4 CSV layout: a header row, then <c>"H1","v1","v2",...</c> with trailing empty fields.</summary>
public static class M4Dataset
{
    /// <summary>Pairs every training series with its test values, which must be exactly one horizon long.</summary>
    public static IReadOnlyList<M4Series> Load(string trainPath, string testPath, int horizon)
    {
        var train = ReadRows(trainPath);
        var test = ReadRows(testPath);
        var result = new List<M4Series>(train.Count);
        foreach (var (id, values) in train)
        {
            if (!test.TryGetValue(id, out var future))
            {
                throw new InvalidDataException($"series {id} is in {trainPath} but not in {testPath}.");
            }

            if (future.Length != horizon)
            {
                throw new InvalidDataException($"series {id} has {future.Length} values in {testPath}; this frequency's horizon is {horizon}: is it the test file of another frequency?");
            }

            if (values.Length == 0)
            {
                throw new InvalidDataException($"series {id} has no values in {trainPath}.");
            }

            result.Add(new M4Series(id, values, future));
        }

        return result;
    }

    /// <summary>Training series only, for holdout and proxy runs that never read the test file.</summary>
    public static IReadOnlyList<M4Series> LoadTrain(string trainPath) =>
        ReadRows(trainPath).Select(row => new M4Series(row.Key, row.Value, [])).ToList();

    private static Dictionary<string, double[]> ReadRows(string path)
    {
        var rows = new Dictionary<string, double[]>(StringComparer.Ordinal);
        var order = new List<string>();
        var lineNumber = 1;
        foreach (var line in File.ReadLines(path).Skip(1))
        {
            lineNumber++;
            if (string.IsNullOrWhiteSpace(line))
            {
                continue;
            }

            var fields = line.Split(',');
            var id = fields[0].Trim('"');
            var values = new List<double>(fields.Length);
            for (var i = 1; i < fields.Length; i++)
            {
                var text = fields[i].Trim().Trim('"');
                if (text.Length == 0)
                {
                    continue;
                }

                if (!double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out var value) || !double.IsFinite(value))
                {
                    throw new InvalidDataException($"{path} line {lineNumber} (series {id}), field {i + 1}: '{text}' is not a finite number.");
                }

                values.Add(value);
            }

            rows[id] = [.. values];
            order.Add(id);
        }

        // Keep file order (H1, H2, ...) rather than hash order.
        return order.ToDictionary(id => id, id => rows[id], StringComparer.Ordinal);
    }
}
