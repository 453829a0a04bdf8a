using System.CommandLine;
using System.Globalization;
using IntentVision.Evaluation.M4;

namespace IntentVision.Analytics.Tests.Evaluation;

/// <summary>The <c>m4</c> command line, run in process with its output captured.</summary>
public sealed class M4CommandTests : IDisposable
{
    private readonly DirectoryInfo _folder = Directory.CreateTempSubdirectory("m4-command-");

    public void Dispose() => _folder.Delete(recursive: true);

    private static (int Code, string Output, string Error) Run(params string[] args)
    {
        var output = new StringWriter();
        var error = new StringWriter();
        var root = new RootCommand { M4Command.Create() };
        var code = root.Parse(["m4", .. args]).Invoke(new InvocationConfiguration { Output = output, Error = error });
        return (code, output.ToString(), error.ToString());
    }

    /// <summary>Writes M4-layout files: <c>"V1","V2",...</c>, then one row per series with trailing empty fields.</summary>
    private void WriteM4(string name, IReadOnlyList<double[]> rows, string prefix)
    {
        var width = rows.Max(r => r.Length) + 1;
        var lines = new List<string> { string.Join(",", Enumerable.Range(1, width).Select(i => $"\"V{i}\"")) };
        for (var i = 0; i < rows.Count; i++)
        {
            var fields = rows[i].Select(v => $"\"{v.ToString(CultureInfo.InvariantCulture)}\"").ToList();
            fields.AddRange(Enumerable.Repeat(string.Empty, width - 1 - fields.Count));
            lines.Add($"\"{prefix}{i + 1}\"," + string.Join(",", fields));
        }

        File.WriteAllLines(Path.Combine(_folder.FullName, name), lines);
    }

    private void WriteYearly(int series, int testLength)
    {
        var random = new Random(3);
        var train = new List<double[]>();
        var test = new List<double[]>();
        for (var s = 0; s < series; s++)
        {
            var values = new double[20 + testLength];
            var level = 1000.0 + (100 * s);
            for (var t = 0; t < values.Length; t++)
            {
                level += 20 + (30 * SeriesFactory.Gaussian(random));
                values[t] = level;
            }

            train.Add(values[..20]);
            test.Add(values[20..]);
        }

        WriteM4("Yearly-train.csv", train, "Y");
        WriteM4("Yearly-test.csv", test, "Y");
    }

    [Fact]
    public void AnUnknownFrequencyIsRefusedByName()
    {
        var (code, _, error) = Run("--frequency", "fortnightly", "--data", _folder.FullName);
        Assert.NotEqual(0, code);
        Assert.Contains("unknown frequency 'fortnightly'", error);
        Assert.Contains("hourly, daily, weekly, monthly, quarterly, yearly", error);
    }

    [Fact]
    public void WithoutDataOrTrainTheCommandSaysWhatToGive()
    {
        var (code, _, error) = Run("--frequency", "yearly");
        Assert.Equal(1, code);
        Assert.Contains("--data", error);
    }

    [Fact]
    public void AMissingFrequencyFileIsNamedWithWhereItWasLookedFor()
    {
        WriteYearly(3, 6);
        var (code, _, error) = Run("--frequency", "daily", "--train", Path.Combine(_folder.FullName, "Yearly-train.csv"));
        Assert.Equal(1, code);
        Assert.Contains("Daily-train.csv", error);
        Assert.Contains("beside", error);
    }

    [Fact]
    public void WithoutFrequencyOrANamedFileTheCommandAsksForIt()
    {
        var path = Path.Combine(_folder.FullName, "series.csv");
        File.WriteAllText(path, "\"V1\",\"V2\"\n\"S1\",\"1\"\n");
        var (code, _, error) = Run("--train", path, "--test", path);
        Assert.Equal(1, code);
        Assert.Contains("--frequency", error);
    }

    [Fact]
    public void ATestFileOfTheWrongHorizonIsRefusedNamingTheSeries()
    {
        WriteYearly(3, 8);
        var (code, _, error) = Run("--frequency", "yearly", "--data", _folder.FullName);
        Assert.Equal(1, code);
        Assert.Contains("series Y1 has 8 values", error);
        Assert.Contains("horizon is 6", error);
    }

    [Fact]
    public void AnUnknownMethodIsRefusedByName()
    {
        WriteYearly(3, 6);
        var (code, _, error) = Run("--data", _folder.FullName, "--frequency", "yearly", "--method", "prophet");
        Assert.NotEqual(0, code);
        Assert.Contains("unknown method 'prophet'", error);
    }

    [Fact]
    public void AYearlyRunPrintsEveryMethodWithOwaAndTheAutoRow()
    {
        WriteYearly(4, 6);
        var (code, output, error) = Run("--data", _folder.FullName, "--frequency", "yearly", "--method", "theta", "damped", "auto", "--threads", "1");
        Assert.True(code == 0, error);
        Assert.Contains("M4 Yearly: 4 series, horizon 6, MASE lag 1", output);
        var rows = output.Split('\n').Where(l => !l.StartsWith(' ')).Select(l => l.Split(' ', StringSplitOptions.RemoveEmptyEntries)).Where(f => f.Length >= 4).ToDictionary(f => f[0], f => f);
        Assert.Equal("1.000", rows["naive2"][3]);
        Assert.True(double.Parse(rows["auto"][3], CultureInfo.InvariantCulture) > 0);
        Assert.Contains("auto chose:", output);
    }

    [SharedDataFact]
    public void TheFrequencyIsReadFromTheFileNameAndTheHourlyRowsSitBesideThePublishedOnes()
    {
        var (code, output, error) = Run("--train", Path.Combine(SharedData.M4, "Hourly-train.csv"), "--limit", "3", "--method", "snaive", "theta", "--threads", "1");
        Assert.True(code == 0, error);
        Assert.Contains("M4 Hourly, first 3 series only: 3 series, horizon 48, MASE lag 24", output);
        Assert.Contains("Published M4 Hourly", output);
        Assert.Matches(@"theta\s+[\d.]+\s+[\d.]+\s+[\d.]+\s+[\d.]+%\s+[\d.]+%\s+[\d.]+\s+1\.006", output);
    }

    [SharedDataFact]
    public void AProxyRunSaysItIsNotAnM4Score()
    {
        var (code, output, error) = Run("--proxy", "--frequency", "quarterly", "--train", Path.Combine(SharedData.M4, "Hourly-train.csv"), "--limit", "2", "--method", "snaive", "--threads", "1");
        Assert.True(code == 0, error);
        Assert.Contains("PROXY Quarterly-shaped series (NOT M4 scores)", output);
        Assert.DoesNotContain("Published", output);
    }
}
