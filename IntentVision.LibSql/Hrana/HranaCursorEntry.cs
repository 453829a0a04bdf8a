namespace IntentVision.LibSql.Hrana;

/// <summary>The kinds of lines a <c>/v3/cursor</c> response carries after its first (spec: "Cursor entries").</summary>
internal enum HranaCursorEntryKind
{
    /// <summary>A kind this client does not know (sqld also sends <c>replication_index</c>): skipped, as the spec's forward compatibility asks.</summary>
    Other,

    /// <summary>A step started: its index and columns.</summary>
    StepBegin,

    /// <summary>One row of the step in progress; the values are in the parser's row buffer.</summary>
    Row,

    /// <summary>The step in progress ended: rows changed and the last inserted rowid.</summary>
    StepEnd,

    /// <summary>A step failed (before or after its step_begin).</summary>
    StepError,

    /// <summary>The whole batch failed; always the last entry.</summary>
    Error,
}

/// <summary>
/// One cursor entry, parsed from its line. A row's values are not here: they go into a buffer the reader reuses from
/// row to row, so reading a million rows allocates only the strings and blobs themselves.
/// </summary>
internal readonly record struct HranaCursorEntry(
    HranaCursorEntryKind Kind,
    int Step = -1,
    IReadOnlyList<HranaColumn>? Columns = null,
    long AffectedRowCount = 0,
    long? LastInsertRowId = null,
    HranaError? Error = null);
