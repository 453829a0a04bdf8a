using System.Globalization;

namespace IntentVision.Evaluation.M4;

/// <summary>Reads the M4 CSV layout: a header row, then <c>"H1","v1","v2",...</c> with trailing empty fields.</summary>
public static class M4Dataset
{
    public static IReadOnlyList<M4Series> Load(string trainPath, string testPath)
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

            result.Add(new M4Series(id, values, future));
        }

        return result;
    }

    private static Dictionary<string, double[]> ReadRows(string path)
    {
        var rows = new Dictionary<string, double[]>(StringComparer.Ordinal);
        var order = new List<string>();
        foreach (var line in File.ReadLines(path).Skip(1))
        {
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

                values.Add(double.Parse(text, NumberStyles.Float, CultureInfo.InvariantCulture));
            }

            rows[id] = [.. values];
            order.Add(id);
        }

        // Keep file order (H1, H2, ...) rather than hash order.
        return order.ToDictionary(id => id, id => rows[id], StringComparer.Ordinal);
    }
}
