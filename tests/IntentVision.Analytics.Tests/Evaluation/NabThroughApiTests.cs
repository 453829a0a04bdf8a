using System.Globalization;
using System.Text;
using IntentVision.Analytics.AnomalyDetection;
using IntentVision.Evaluation.Nab;

namespace IntentVision.Analytics.Tests.Evaluation;

/// <summary>
/// The end-to-end NAB mode on a corpus of its own whose files carry late, duplicate and out-of-order timestamps: the real
/// API in process (Kestrel on loopback, a temporary file database) stores exactly what the harness's monitor stores.
/// </summary>
public sealed class NabThroughApiTests : IDisposable
{
    private static readonly DateTime T0 = new(2015, 3, 1, 0, 0, 0, DateTimeKind.Utc);

    private readonly string _directory = Directory.CreateTempSubdirectory("intentvision-nab-corpus-").FullName;

    public NabThroughApiTests()
    {
        // Five-minute data with a daily cycle, a spike and a level shift; the second file also has rows out of order,
        // repeated timestamps (different values) and a row from hours before the one above it.
        var rows = Enumerable.Range(0, 1500).Select(i => (Time: T0.AddMinutes(5 * i), Value: 50 + (10 * Math.Sin(2 * Math.PI * i / 288.0)) + ((i * 7919 % 13) / 4.0) + (i == 700 ? 40 : 0) + (i >= 1100 ? 25 : 0))).ToList();
        Write("synthetic/clean.csv", rows);
        var messy = rows.ToList();
        (messy[400], messy[401]) = (messy[401], messy[400]);
        messy.Insert(600, (messy[599].Time, messy[599].Value + 3));
        messy.Insert(900, (messy[700].Time, 12));
        messy.Insert(1200, (messy[1000].Time.AddMinutes(1), 500));
        Write("synthetic/messy.csv", messy);
        File.WriteAllText(Path.Combine(_directory, "labels.json"), $$"""
            {
              "synthetic/clean.csv": [["{{Stamp(rows[690].Time)}}.000000", "{{Stamp(rows[720].Time)}}.000000"], ["{{Stamp(rows[1090].Time)}}.000000", "{{Stamp(rows[1130].Time)}}.000000"]],
              "synthetic/messy.csv": [["{{Stamp(rows[690].Time)}}.000000", "{{Stamp(rows[720].Time)}}.000000"]]
            }
            """);
    }

    private string DataDirectory => Path.Combine(_directory, "data");

    private static string Stamp(DateTime time) => time.ToString("yyyy-MM-dd HH:mm:ss", CultureInfo.InvariantCulture);

    private void Write(string key, IEnumerable<(DateTime Time, double Value)> rows)
    {
        var path = Path.Combine(DataDirectory, key);
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        var text = new StringBuilder("timestamp,value\n");
        foreach (var (time, value) in rows)
        {
            text.Append(Stamp(time)).Append(',').Append(value.ToString("R", CultureInfo.InvariantCulture)).Append('\n');
        }

        File.WriteAllText(path, text.ToString());
    }

    [Fact]
    public void FileKeysBecomeDistinctValidMetricNames()
    {
        string[] keys = ["realTraffic/speed_6005.csv", "realTraffic/counts~speed_6005.csv", "realTraffic/counts:7e:speed_6005.csv", "my folder/a file.csv"];

        var names = keys.Select(k => NabThroughApi.MetricName("r1", k)).ToArray();

        Assert.Equal("nab.r1/realTraffic/speed_6005.csv", names[0]);
        Assert.Equal("nab.r1/realTraffic/counts:7e:speed_6005.csv", names[1]);
        Assert.Equal(keys.Length, names.Distinct().Count());
        Assert.All(names, n => Assert.Matches("^[A-Za-z_][A-Za-z0-9_.:/-]*$", n));
    }

    [Fact]
    public async Task TheApiStoresWhatTheHarnessScoresEvenWithLateAndDuplicateRows()
    {
        var corpus = NabDataset.ReadCorpus(DataDirectory);
        Assert.Equal(["synthetic/clean.csv", "synthetic/messy.csv"], corpus.Select(s => s.Key));
        var harness = corpus.Select(s => MonitorScoring.Score(s, MonitorSettings.Default).Stored).ToArray();
        var api = await NabThroughApi.ScoreAsync(corpus, apiUrl: null, apiKey: null, CancellationToken.None);

        for (var f = 0; f < corpus.Count; f++)
        {
            Assert.Equal(harness[f], api[f]);
            Assert.Contains(api[f], score => score > 0);
        }

        // The late row (500, a minute after a scored one) and the out-of-place repeat are never scored.
        var messy = corpus[1];
        var lateRow = Array.FindIndex(messy.Values, v => v == 500);
        Assert.Equal(0, api[1][lateRow]);
        Assert.Equal(api[0].Length + 3, api[1].Length);
    }

    [Fact]
    public async Task TheNabCommandRunsOnTheCorpusThroughTheHarnessAndTheApi()
    {
        var output = Path.Combine(_directory, "results");
        var exit = await NabCommand.Create().Parse(["--data", DataDirectory, "--labels", Path.Combine(_directory, "labels.json"), "--out", output, "--through-api", "--threads", "1"]).InvokeAsync();
        Assert.Equal(0, exit);
        foreach (var mode in new[] { "intentvision", "api" })
        {
            var lines = File.ReadAllLines(Path.Combine(output, "synthetic", $"{mode}_messy.csv"));
            Assert.Equal("timestamp,value,anomaly_score", lines[0]);
            Assert.Equal(1504, lines.Length);
        }

        Assert.Equal(File.ReadAllLines(Path.Combine(output, "synthetic", "intentvision_messy.csv")), File.ReadAllLines(Path.Combine(output, "synthetic", "api_messy.csv")));
    }

    [Fact]
    public async Task TheNabCommandStreamsThroughARunningApiNamedByItsUrl()
    {
        // A running API on loopback, reached over HTTP by its URL and admin key (an organization is created for the run).
        await using var api = await InProcessApi.StartAsync(CancellationToken.None);
        var output = Path.Combine(_directory, "by-url");
        var exit = await NabCommand.Create().Parse(["--data", DataDirectory, "--labels", Path.Combine(_directory, "labels.json"), "--out", output, "--api-url", api.BaseAddress.ToString(), "--api-key", InProcessApi.AdminKey, "--threads", "1"]).InvokeAsync();

        Assert.Equal(0, exit);
        Assert.Equal(File.ReadAllLines(Path.Combine(output, "synthetic", "intentvision_messy.csv")), File.ReadAllLines(Path.Combine(output, "synthetic", "api_messy.csv")));
    }

    [Theory]
    [InlineData("127.0.0.1:5180")]
    [InlineData("ftp://127.0.0.1/")]
    public void AnApiUrlThatIsNotAnHttpUrlIsRefusedByName(string url)
    {
        var error = new StringWriter();
        var exit = NabCommand.Create().Parse(["--data", DataDirectory, "--labels", Path.Combine(_directory, "labels.json"), "--out", Path.Combine(_directory, "refused"), "--api-url", url])
            .Invoke(new System.CommandLine.InvocationConfiguration { Output = new StringWriter(), Error = error });

        Assert.NotEqual(0, exit);
        Assert.Contains($"--api-url must be an absolute http or https URL such as http://127.0.0.1:5180; got '{url}'.", error.ToString());
        Assert.False(Directory.Exists(Path.Combine(_directory, "refused")));
    }

    public void Dispose()
    {
        Directory.Delete(_directory, recursive: true);
    }
}
