using System.Collections.Concurrent;

namespace IntentVision.LibSql.Sql;

/// <summary>
/// Parsed command texts of one data source. Repositories run the same few SQL texts over and over; caching their
/// statements (and whether they can be coalesced) keeps the per-command cost to a dictionary lookup.
/// </summary>
internal sealed class SqlTextCache
{
    private const int Capacity = 2048;
    private readonly ConcurrentDictionary<string, ParsedCommandText> _entries = new(StringComparer.Ordinal);

    public ParsedCommandText Get(string commandText)
    {
        if (_entries.TryGetValue(commandText, out var parsed))
        {
            return parsed;
        }

        parsed = new ParsedCommandText(SqlStatementSplitter.Split(commandText));
        if (_entries.Count >= Capacity)
        {
            // Generated SQL (e.g. IN lists of varying length) must not grow the cache without bound.
            _entries.Clear();
        }

        _entries.TryAdd(commandText, parsed);
        return parsed;
    }
}
