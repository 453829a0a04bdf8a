using System.Diagnostics;
using System.Diagnostics.Metrics;

namespace IntentVision.LibSql.Telemetry;

/// <summary>
/// The span source and instruments of one data source. Created per data source (not static) so a disposed data
/// source stops reporting and tests can listen to one in isolation; listeners subscribe by the shared names.
/// </summary>
internal sealed class LibSqlInstrumentation : IDisposable
{
    private const int MaxQueryTextLength = 2000;

    private readonly ActivitySource _source = new(LibSqlTelemetry.ActivitySourceName);
    private readonly Meter _meter = new(LibSqlTelemetry.MeterName);
    private readonly Histogram<double> _duration;
    private readonly Histogram<long> _rows;
    private readonly KeyValuePair<string, object?>[] _commonTags;

    public LibSqlInstrumentation(LibSqlConnectionInfo info)
    {
        _duration = _meter.CreateHistogram<double>(
            LibSqlTelemetry.OperationDurationInstrument,
            unit: "s",
            description: "Duration of libSQL commands.",
            advice: new InstrumentAdvice<double> { HistogramBucketBoundaries = [0.001, 0.005, 0.01, 0.05, 0.1, 0.5, 1, 5, 10] });
        _rows = _meter.CreateHistogram<long>(LibSqlTelemetry.ReturnedRowsInstrument, unit: "{row}", description: "Rows returned by libSQL commands.");
        var tags = new List<KeyValuePair<string, object?>> { new("db.system.name", "sqlite") };
        if (info.HttpEndpoint is { } endpoint)
        {
            tags.Add(new("server.address", endpoint.Host));
            tags.Add(new("server.port", endpoint.Port));
        }
        else if (info.FilePath is { } path)
        {
            tags.Add(new("db.namespace", Path.GetFileName(path)));
        }

        _commonTags = [.. tags];
    }

    public Activity? StartActivity(string operation, string? queryText)
    {
        if (!_source.HasListeners())
        {
            return null;
        }

        var activity = _source.StartActivity(operation, ActivityKind.Client);
        if (activity is null)
        {
            return null;
        }

        foreach (var tag in _commonTags)
        {
            activity.SetTag(tag.Key, tag.Value);
        }

        activity.SetTag("db.operation.name", operation);
        if (queryText is not null)
        {
            activity.SetTag("db.query.text", queryText.Length > MaxQueryTextLength ? queryText[..MaxQueryTextLength] : queryText);
        }

        return activity;
    }

    /// <param name="rows">Rows returned, or null when they are counted later, as a file's reader steps (see <see cref="RecordReturnedRows"/>).</param>
    public void Complete(Activity? activity, long startTimestamp, string operation, long? rows, Exception? error)
    {
        var errorType = error switch
        {
            null => null,
            LibSqlException { Code: { } code } => code,
            OperationCanceledException => "CANCELLED",
            _ => error.GetType().Name,
        };
        if (activity is not null)
        {
            if (errorType is not null)
            {
                activity.SetTag("error.type", errorType);
                activity.SetStatus(ActivityStatusCode.Error, error!.Message);
            }
            else if (rows is { } returned)
            {
                activity.SetTag("db.response.returned_rows", returned);
            }

            activity.Dispose();
        }

        if (_duration.Enabled)
        {
            var tags = new TagList { { "db.operation.name", operation } };
            foreach (var tag in _commonTags)
            {
                tags.Add(tag);
            }

            if (errorType is not null)
            {
                tags.Add("error.type", errorType);
            }

            _duration.Record(Stopwatch.GetElapsedTime(startTimestamp).TotalSeconds, tags);
            if (errorType is null && rows is { } returned)
            {
                _rows.Record(returned, tags);
            }
        }
    }

    /// <summary>Rows a file's reader stepped through, recorded when it closes.</summary>
    public void RecordReturnedRows(string operation, long rows)
    {
        if (_rows.Enabled)
        {
            var tags = new TagList { { "db.operation.name", operation } };
            foreach (var tag in _commonTags)
            {
                tags.Add(tag);
            }

            _rows.Record(rows, tags);
        }
    }

    public void Dispose()
    {
        _source.Dispose();
        _meter.Dispose();
    }
}
