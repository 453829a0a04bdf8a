namespace IntentVision.Evaluation.Nab;

/// <summary>
/// How a file is streamed, in the harness and through the API alike: rows in file order, in batches of 12 to 100
/// rows whose sizes come from a generator seeded by the file's name (so every run, and both modes, cut the same way).
/// </summary>
public static class NabBatches
{
    public const int Smallest = 12;
    public const int Largest = 100;

    public static IEnumerable<Range> Split(string fileKey, int rows)
    {
        var random = new Random(Seed(fileKey));
        for (var start = 0; start < rows;)
        {
            var end = Math.Min(rows, start + random.Next(Smallest, Largest + 1));
            yield return start..end;
            start = end;
        }
    }

    /// <summary>A stable seed (string.GetHashCode differs between processes).</summary>
    private static int Seed(string key)
    {
        var hash = 17;
        foreach (var c in key)
        {
            hash = unchecked((hash * 31) + c);
        }

        return hash;
    }
}
