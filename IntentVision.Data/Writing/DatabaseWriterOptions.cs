namespace IntentVision.Data.Writing;

/// <summary>
/// Deadlines and bounds of the <see cref="DatabaseWriter"/> (configuration section <c>IntentVision:Database:Writer</c>).
/// The defaults answer every write within <see cref="WriteTimeout"/> and keep each transaction well inside sqld's
/// five seconds, after which the server rolls a write transaction back.
/// </summary>
public sealed record DatabaseWriterOptions
{
    public const string Section = "IntentVision:Database:Writer";

    /// <summary>
    /// How long a caller waits for its write, queue and transaction together. Past it the caller gets a
    /// <see cref="WriteTimeoutException"/>: nothing was written when the unit was still queued (it is dropped), the
    /// outcome is unknown when its transaction was under way. A service answers 503 within this time.
    /// </summary>
    public TimeSpan WriteTimeout { get; init; } = TimeSpan.FromSeconds(4);

    /// <summary>
    /// The deadline of each statement the writer sends, COMMIT included. On a server it outlasts the server's own wait
    /// for another writer's lock (sqld steals a lock after 5 s), so a request that may still run is never abandoned
    /// while its stream still holds (or waits for) the lock. Callers are answered by <see cref="WriteTimeout"/> anyway.
    /// </summary>
    public TimeSpan StatementTimeout { get; init; } = TimeSpan.FromSeconds(10);

    /// <summary>A group stops growing at this much weight (points, rows); the first unit always goes.</summary>
    public int MaxGroupWeight { get; init; } = 50_000;

    /// <summary>
    /// A group stops taking further units once its transaction has run this long: the rest wait for the next group, so no
    /// transaction nears the server's transaction timeout and the write lock is never held long.
    /// </summary>
    public TimeSpan MaxGroupDuration { get; init; } = TimeSpan.FromSeconds(1.5);

    /// <summary>
    /// The first wait before a group that failed without committing anything is run again (another writer held the
    /// lock, the server rolled the transaction back, a stream expired, a request never left); it doubles with jitter
    /// up to <see cref="MaxRetryDelay"/>, while the callers' deadlines allow.
    /// </summary>
    public TimeSpan InitialRetryDelay { get; init; } = TimeSpan.FromMilliseconds(20);

    public TimeSpan MaxRetryDelay { get; init; } = TimeSpan.FromMilliseconds(500);
}
