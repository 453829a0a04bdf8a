namespace IntentVision.LibSql;

/// <summary>
/// Names under which the client reports traces and metrics, for <c>AddSource</c> / <c>AddMeter</c> in OpenTelemetry.
/// Spans carry the operation, the parameterised SQL and the server address; never parameter values or tokens.
/// </summary>
public static class LibSqlTelemetry
{
    /// <summary>The <see cref="System.Diagnostics.ActivitySource"/> name: one span per command, batch, commit and rollback.</summary>
    public const string ActivitySourceName = "IntentVision.LibSql";

    /// <summary>The <see cref="System.Diagnostics.Metrics.Meter"/> name.</summary>
    public const string MeterName = "IntentVision.LibSql";

    /// <summary>Histogram of command durations in seconds (OpenTelemetry database semantic conventions).</summary>
    public const string OperationDurationInstrument = "db.client.operation.duration";

    /// <summary>Histogram of the rows each command returned.</summary>
    public const string ReturnedRowsInstrument = "db.client.response.returned_rows";
}
