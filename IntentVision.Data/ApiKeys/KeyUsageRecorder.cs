using System.Collections.Concurrent;
using Dapper;
using IntentVision.Data.Writing;

namespace IntentVision.Data.ApiKeys;

/// <summary>
/// The last use of API keys, kept in memory and written in batches off the request path: a request only records the
/// time here; the next group of the <see cref="DatabaseWriter"/> (the request's own, usually) carries every pending
/// key's time in its transaction, one UPDATE per key. A request never waits for this bookkeeping, and it takes no
/// write transaction of its own. A write that fails stays pending for the next group.
/// </summary>
public sealed class KeyUsageRecorder : IWriteGroupCompanion
{
    private readonly ConcurrentDictionary<string, DateTimeOffset> _pending = new(StringComparer.Ordinal);

    /// <summary>Whether some key's use waits to be written.</summary>
    public bool HasPending => !_pending.IsEmpty;

    /// <summary>Remembers that <paramref name="keyId"/> was used at <paramref name="usedAt"/> (the latest time wins).</summary>
    public void Record(string keyId, DateTimeOffset usedAt) =>
        _pending.AddOrUpdate(keyId, usedAt, (_, earlier) => earlier > usedAt ? earlier : usedAt);

    public ICompanionWrite? TakePending()
    {
        if (_pending.IsEmpty)
        {
            return null;
        }

        var taken = new List<KeyValuePair<string, DateTimeOffset>>();
        foreach (var keyId in _pending.Keys)
        {
            if (_pending.TryRemove(keyId, out var usedAt))
            {
                taken.Add(new(keyId, usedAt));
            }
        }

        return taken.Count == 0 ? null : new UsageWrite(this, taken);
    }

    private sealed class UsageWrite(KeyUsageRecorder recorder, List<KeyValuePair<string, DateTimeOffset>> uses) : ICompanionWrite
    {
        public async Task WriteAsync(WriteScope scope, CancellationToken cancellationToken) =>
            await scope.Connection.ExecuteAsync(new CommandDefinition(
                // Never backwards: another process may have written a later use already.
                "UPDATE api_keys SET last_used_at = @UsedAt WHERE id = @Id AND (last_used_at IS NULL OR last_used_at < @UsedAt)",
                uses.Select(u => new { Id = u.Key, UsedAt = DbTime.ToText(u.Value) }),
                scope.Transaction,
                cancellationToken: cancellationToken)).ConfigureAwait(false);

        public void Committed()
        {
        }

        public void Failed(Exception error)
        {
            foreach (var (keyId, usedAt) in uses)
            {
                recorder.Record(keyId, usedAt);
            }
        }
    }
}
