namespace IntentVision.Data.Writing;

/// <summary>
/// A write did not complete within <see cref="DatabaseWriterOptions.WriteTimeout"/>. When <see cref="NothingWritten"/>
/// is true it never reached the database (it was still queued and was dropped); otherwise its transaction was under way
/// and may still commit, so a retry must be safe to apply twice (an Idempotency-Key, an upsert).
/// </summary>
public sealed class WriteTimeoutException(TimeSpan timeout, bool nothingWritten)
    : TimeoutException(nothingWritten
        ? $"The database did not take the write within {timeout.TotalSeconds:0.#} s (the writer was busy or the database slow); nothing was written."
        : $"The database did not confirm the write within {timeout.TotalSeconds:0.#} s; it may still be applied.")
{
    public bool NothingWritten { get; } = nothingWritten;
}
