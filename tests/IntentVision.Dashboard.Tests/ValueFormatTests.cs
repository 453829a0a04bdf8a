using IntentVision.Dashboard.Components.Charts;
using IntentVision.Dashboard.Services.Formatting;

namespace IntentVision.Dashboard.Tests;

public sealed class ValueFormatTests
{
    [Theory]
    [InlineData(516.52277, "516.5")]
    [InlineData(0.0012345, "0.001235")]
    [InlineData(3, "3")]
    [InlineData(-42.4242, "-42.42")]
    [InlineData(0, "0")]
    [InlineData(12_345, "12.35 k")]
    [InlineData(999_960, "1 M")]
    [InlineData(2_500_000_000, "2.5 G")]
    [InlineData(1.234e-9, "1.234e-9")]
    [InlineData(double.NaN, "n/a")]
    public void PlainNumbersKeepFourSignificantDigits(double value, string expected) => Assert.Equal(expected, ValueFormat.Format(value));

    [Theory]
    [InlineData("web.latency_ms", 516.52277, "516.5 ms")]
    [InlineData("web.latency_ms", 1530, "1.53 s")]
    [InlineData("http_request_duration_seconds", 0.0421, "42.1 ms")]
    [InlineData("job_runtime_seconds", 5400, "90 min")]
    [InlineData("disk_used_bytes", 5_300_000, "5.3 MB")]
    [InlineData("cpu_percent", 93.456, "93.46 %")]
    [InlineData("queue.depth", 3, "3")]
    public void ValuesReadInTheUnitTheMetricNames(string metric, double value, string expected) =>
        Assert.Equal(expected, ValueFormat.Format(value, MetricUnit.FromMetricKey(metric)));

    [Theory]
    [InlineData("web.latency_ms", "ms")]
    [InlineData("api-latency-milliseconds", "ms")]
    [InlineData("gc_pause_seconds", "s")]
    [InlineData("net.rx_bytes", "B")]
    [InlineData("cpu.pct", "%")]
    [InlineData("requests", "")]
    [InlineData("bulk.requests", "")]
    [InlineData("mass", "")]
    public void TheUnitIsTheMetricKeysLastWord(string metric, string unit) => Assert.Equal(unit, MetricUnit.FromMetricKey(metric).Name);

    [Fact]
    public void AMissingValueReadsNotAvailable() => Assert.Equal("n/a", ValueFormat.Format((double?)null, MetricUnit.Milliseconds));

    [Fact]
    public void TheDomainOfANeverNegativeSeriesStartsAtZero()
    {
        Assert.Equal(new ValueDomain(0, double.PositiveInfinity), ValueDomain.For(MetricUnit.None, [3, 5, 120]));
        Assert.Equal(new ValueDomain(0, double.PositiveInfinity), ValueDomain.For(MetricUnit.Milliseconds, []));
        Assert.Equal(new ValueDomain(0, 100), ValueDomain.For(MetricUnit.Percent, [3, 99]));
        Assert.Equal(ValueDomain.Unbounded, ValueDomain.For(MetricUnit.None, [-3, 5]));
        Assert.Equal(0, new ValueDomain(0, 100).Clip(-200));
    }
}
