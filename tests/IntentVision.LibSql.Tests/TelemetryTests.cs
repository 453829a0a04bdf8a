using System.Diagnostics;
using System.Diagnostics.Metrics;
using IntentVision.TestSupport;

namespace IntentVision.LibSql.Tests;

public abstract class TelemetryTests(SqldServer server, TestBackend backend) : BackendTestBase(server, backend)
{
    [Fact]
    public async Task CommandsAreTracedAndMeasuredWithoutParameterValues()
    {
        var activities = new List<Activity>();
        using var listener = new ActivityListener
        {
            ShouldListenTo = source => source.Name == LibSqlTelemetry.ActivitySourceName,
            Sample = (ref ActivityCreationOptions<ActivityContext> _) => ActivitySamplingResult.AllDataAndRecorded,
            ActivityStopped = activity => { lock (activities) { activities.Add(activity); } },
        };
        ActivitySource.AddActivityListener(listener);
        var durations = new List<double>();
        using var meters = new MeterListener();
        meters.InstrumentPublished = (instrument, l) =>
        {
            if (instrument.Meter.Name == LibSqlTelemetry.MeterName)
            {
                l.EnableMeasurementEvents(instrument);
            }
        };
        meters.SetMeasurementEventCallback<double>((instrument, value, _, _) =>
        {
            if (instrument.Name == LibSqlTelemetry.OperationDurationInstrument)
            {
                lock (durations) { durations.Add(value); }
            }
        });
        meters.Start();

        await using var connection = await DataSource.OpenConnectionAsync();
        await using var command = connection.CreateCommand();
        command.CommandText = "SELECT @secret AS s";
        command.Parameters.Add(new LibSqlParameter("secret", "do-not-log-me"));
        await command.ExecuteScalarAsync();

        Activity span;
        lock (activities)
        {
            span = Assert.Single(activities, a => (string?)a.GetTagItem("db.query.text") == "SELECT @secret AS s");
        }

        Assert.Equal("SELECT", span.GetTagItem("db.operation.name"));
        if (Backend == TestBackend.Sqld)
        {
            Assert.Equal("127.0.0.1", span.GetTagItem("server.address"));
        }
        else
        {
            Assert.Equal("test.db", span.GetTagItem("db.namespace"));
        }

        Assert.Equal(ActivityKind.Client, span.Kind);
        Assert.DoesNotContain(span.TagObjects, tag => tag.Value?.ToString()?.Contains("do-not-log-me", StringComparison.Ordinal) == true);
        lock (durations)
        {
            Assert.NotEmpty(durations);
        }
    }
}

[Collection(SqldCollection.Name)]
public sealed class TelemetryFileTests(SqldServer server) : TelemetryTests(server, TestBackend.File);

[Collection(SqldCollection.Name)]
public sealed class TelemetrySqldTests(SqldServer server) : TelemetryTests(server, TestBackend.Sqld);
