using System.Globalization;

namespace IntentVision.Evaluation.M4;

/// <summary>Prints our rows (OWA against our own Naive2) with the published OWA of the same method, then the published rows.</summary>
public sealed class M4Table(IReadOnlyList<M4MethodScore> scores, IReadOnlyList<PublishedM4Row> published, IReadOnlyDictionary<string, string> publishedNames)
{
    private static readonly string[] NamedBenchmarks = ["Naive2", "sNaive", "Naive", "SES", "Holt", "Damped", "Theta", "Com", "MLP", "RNN"];

    public void Write(TextWriter output, M4Frequency frequency)
    {
        var inv = CultureInfo.InvariantCulture;
        var naive2 = scores.First(s => s.Method == "naive2");
        output.WriteLine();
        output.WriteLine("Ours (OWA against our own Naive2)");
        output.WriteLine($"{"method",-14} {"sMAPE",8} {"MASE",7} {"OWA",7} {"cov80",7} {"cov95",7} {"seconds",8} {"published OWA",14}");
        foreach (var s in scores)
        {
            var owa = Owa(s, naive2);
            var reference = publishedNames.TryGetValue(s.Method, out var name) && published.FirstOrDefault(r => r.Method == name) is { } row
                ? row.Owa.ToString("0.000", inv)
                : "–";
            output.WriteLine(string.Format(inv, "{0,-14} {1,8:0.000} {2,7:0.000} {3,7:0.000} {4,7:0.0%} {5,7:0.0%} {6,8:0.0} {7,14}", s.Method, s.Smape, s.Mase, owa, s.Coverage80, s.Coverage95, s.Elapsed.TotalSeconds, reference));
            if (s.Method == "auto")
            {
                output.WriteLine("  auto chose: " + string.Join(", ", s.ChosenMethods.OrderByDescending(kv => kv.Value).Take(12).Select(kv => $"{kv.Key} {kv.Value}")));
            }
        }

        if (published.Count == 0)
        {
            return;
        }

        output.WriteLine();
        output.WriteLine($"Published M4 {frequency.Name} (benchmarks, then the three best submissions by {frequency.Name} OWA)");
        output.WriteLine($"{"method",-14} {"sMAPE",8} {"MASE",7} {"OWA",7}");
        var shown = published.Where(r => NamedBenchmarks.Contains(r.Method))
            .Concat(published.Where(r => !NamedBenchmarks.Contains(r.Method)).OrderBy(r => r.Owa).Take(3));
        foreach (var r in shown)
        {
            output.WriteLine(string.Format(inv, "{0,-14} {1,8:0.000} {2,7:0.000} {3,7:0.000}", r.Method, r.Smape, r.Mase, r.Owa));
        }
    }

    public static double Owa(M4MethodScore score, M4MethodScore naive2) =>
        ((score.Smape / naive2.Smape) + (score.Mase / naive2.Mase)) / 2;
}
