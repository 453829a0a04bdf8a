namespace IntentVision.Api.Events;

/// <summary>Settings of the event stream (section <c>IntentVision:Events</c>).</summary>
public sealed class EventStreamOptions
{
    public const string Section = "IntentVision:Events";

    /// <summary>
    /// A comment line goes out when nothing else did for this long, so proxies keep the connection open and a dead
    /// client is noticed (the write fails) within one interval.
    /// </summary>
    public TimeSpan HeartbeatInterval { get; set; } = TimeSpan.FromSeconds(15);

    /// <summary>Events kept for a subscriber that reads slowly; beyond this the oldest are dropped and it is told to resync.</summary>
    public int BufferSize { get; set; } = 256;

    /// <summary>Open streams at most, over all organizations; more answer 503 so a flood of clients cannot exhaust the API.</summary>
    public int MaxSubscribers { get; set; } = 1_000;
}
