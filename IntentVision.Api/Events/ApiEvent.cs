namespace IntentVision.Api.Events;

/// <summary>
/// Something that happened in an organization, pushed to its open event streams (<c>GET /api/events</c>). The
/// stream names the event by <see cref="Type"/> and sends the record as its JSON data.
/// </summary>
public abstract record ApiEvent
{
    [System.Text.Json.Serialization.JsonIgnore]
    public abstract string Type { get; }
}

/// <summary>
/// An ingest stored <paramref name="Count"/> anomalies on a series (new ones, or stored ones revised, e.g. a point that
/// became a level shift), the latest at <paramref name="LatestTimestamp"/>; published after their transaction committed.
/// </summary>
public sealed record AnomalyDetectedEvent(long SeriesId, int Count, DateTimeOffset LatestTimestamp) : ApiEvent
{
    public const string Name = "anomaly.detected";

    [System.Text.Json.Serialization.JsonIgnore]
    public override string Type => Name;
}

/// <summary>An alert fired, resolved or otherwise changed state.</summary>
public sealed record AlertChangedEvent(long AlertId, long RuleId, long? SeriesId, string State) : ApiEvent
{
    public const string Name = "alert.changed";

    [System.Text.Json.Serialization.JsonIgnore]
    public override string Type => Name;
}

/// <summary>
/// The subscriber read too slowly and its buffer dropped <paramref name="Dropped"/> events: whatever it shows may be
/// stale, so it reloads rather than trusting the events it did get.
/// </summary>
public sealed record ResyncEvent(long Dropped) : ApiEvent
{
    public const string Name = "resync";

    [System.Text.Json.Serialization.JsonIgnore]
    public override string Type => Name;
}
