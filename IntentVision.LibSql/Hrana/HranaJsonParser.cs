using System.Buffers;
using System.Buffers.Text;
using System.Globalization;
using System.Text.Json;

namespace IntentVision.LibSql.Hrana;

/// <summary>
/// Reads pipeline responses with <see cref="Utf8JsonReader"/> in one forward pass. Property order is not assumed
/// (the spec does not fix it) and unknown properties are skipped, as the spec's forward compatibility asks.
/// Cells go straight into one flat <see cref="HranaValue"/> array per statement.
/// </summary>
internal static class HranaJsonParser
{
    public static HranaPipelineResponse ParsePipeline(ReadOnlySpan<byte> json)
    {
        var reader = new Utf8JsonReader(json, new JsonReaderOptions { MaxDepth = 256 });
        Read(ref reader);
        Expect(ref reader, JsonTokenType.StartObject);
        string? baton = null;
        string? baseUrl = null;
        List<HranaStreamResult>? results = null;
        while (Read(ref reader) == JsonTokenType.PropertyName)
        {
            if (TryReadStreamField(ref reader, ref baton, ref baseUrl))
            {
                continue;
            }

            if (reader.ValueTextEquals("results"u8))
            {
                Read(ref reader);
                Expect(ref reader, JsonTokenType.StartArray);
                results = [];
                while (Read(ref reader) != JsonTokenType.EndArray)
                {
                    results.Add(ParseStreamResult(ref reader));
                }
            }
            else
            {
                SkipValue(ref reader);
            }
        }

        return new HranaPipelineResponse(baton, baseUrl, results ?? []);
    }

    /// <summary>Reads the stream's <c>baton</c> or <c>base_url</c> when the reader is on one of those property names.</summary>
    private static bool TryReadStreamField(ref Utf8JsonReader reader, ref string? baton, ref string? baseUrl)
    {
        var isBaton = reader.ValueTextEquals("baton"u8);
        if (!isBaton && !reader.ValueTextEquals("base_url"u8))
        {
            return false;
        }

        Read(ref reader);
        var value = reader.TokenType == JsonTokenType.Null ? null : reader.GetString();
        if (isBaton)
        {
            baton = value;
        }
        else
        {
            baseUrl = value;
        }

        return true;
    }

    /// <summary>
    /// Parses a whole <c>/v3/cursor</c> response held in memory: a line with the baton, then one entry per line,
    /// folded back into the same <see cref="HranaBatchResult"/> a pipeline would give. The streaming reader parses
    /// the same lines one at a time with <see cref="ParseCursorHead"/> and <see cref="ParseCursorEntry"/>.
    /// </summary>
    public static HranaPipelineResponse ParseCursor(ReadOnlySpan<byte> body, int stepCount)
    {
        string? baton = null;
        string? baseUrl = null;
        var results = new HranaStatementResult?[stepCount];
        var errors = new HranaError?[stepCount];
        HranaError? batchError = null;
        var first = true;
        var step = -1;
        IReadOnlyList<HranaColumn>? columns = null;
        var values = new ValueList();
        var row = Array.Empty<HranaValue>();
        var rowCount = 0;
        while (body.Length > 0)
        {
            var newline = body.IndexOf((byte)'\n');
            var line = newline < 0 ? body : body[..newline];
            body = newline < 0 ? [] : body[(newline + 1)..];
            if (IsBlank(line))
            {
                continue;
            }

            if (first)
            {
                first = false;
                (baton, baseUrl) = ParseCursorHead(line);
                continue;
            }

            var entry = ParseCursorEntry(line, ref row, out var rowLength);
            switch (entry.Kind)
            {
                case HranaCursorEntryKind.StepBegin:
                    step = entry.Step;
                    columns = entry.Columns;
                    values = new ValueList();
                    rowCount = 0;
                    break;
                case HranaCursorEntryKind.Row:
                    foreach (var value in row.AsSpan(0, rowLength))
                    {
                        values.Add(value);
                    }

                    rowCount++;
                    break;
                case HranaCursorEntryKind.StepEnd when step >= 0 && step < stepCount:
                    results[step] = new HranaStatementResult(columns ?? [], values.ToArray(), rowCount, entry.AffectedRowCount, entry.LastInsertRowId);
                    columns = null;
                    step = -1;
                    break;
                case HranaCursorEntryKind.StepError when entry.Step >= 0 && entry.Step < stepCount:
                    errors[entry.Step] = entry.Error;
                    step = -1;
                    break;
                case HranaCursorEntryKind.Error:
                    batchError = entry.Error;
                    break;
            }
        }

        var stream = new HranaStreamResult(batchError, Batch: batchError is null ? new HranaBatchResult(results, errors) : null);
        return new HranaPipelineResponse(baton, baseUrl, [stream]);
    }

    /// <summary>True for a line with nothing but whitespace: the spec separates entries with newlines, nothing more.</summary>
    public static bool IsBlank(ReadOnlySpan<byte> line) => line.IndexOfAnyExcept((byte)' ', (byte)'\r', (byte)'\t') < 0;

    /// <summary>The first line of a cursor response: the stream's next baton and base URL.</summary>
    public static (string? Baton, string? BaseUrl) ParseCursorHead(ReadOnlySpan<byte> line)
    {
        var reader = new Utf8JsonReader(line);
        Read(ref reader);
        Expect(ref reader, JsonTokenType.StartObject);
        string? baton = null;
        string? baseUrl = null;
        while (Read(ref reader) == JsonTokenType.PropertyName)
        {
            if (!TryReadStreamField(ref reader, ref baton, ref baseUrl))
            {
                SkipValue(ref reader);
            }
        }

        return (baton, baseUrl);
    }

    /// <summary>
    /// One cursor entry line. A row's values are written into <paramref name="row"/> (grown when too small, reused
    /// otherwise) and counted in <paramref name="rowLength"/>; fields may come in any order and unknown ones are skipped.
    /// </summary>
    public static HranaCursorEntry ParseCursorEntry(ReadOnlySpan<byte> line, ref HranaValue[] row, out int rowLength)
    {
        rowLength = 0;
        var reader = new Utf8JsonReader(line, new JsonReaderOptions { MaxDepth = 256 });
        Read(ref reader);
        Expect(ref reader, JsonTokenType.StartObject);
        var kind = HranaCursorEntryKind.Other;
        var step = -1;
        List<HranaColumn>? columns = null;
        HranaError? error = null;
        long affected = 0;
        long? lastRowId = null;
        while (Read(ref reader) == JsonTokenType.PropertyName)
        {
            if (reader.ValueTextEquals("type"u8))
            {
                Read(ref reader);
                kind = ParseEntryKind(ref reader);
            }
            else if (reader.ValueTextEquals("row"u8))
            {
                Read(ref reader);
                Expect(ref reader, JsonTokenType.StartArray);
                while (Read(ref reader) != JsonTokenType.EndArray)
                {
                    if (rowLength == row.Length)
                    {
                        Array.Resize(ref row, Math.Max(8, row.Length * 2));
                    }

                    row[rowLength++] = ParseValue(ref reader);
                }
            }
            else if (reader.ValueTextEquals("step"u8))
            {
                Read(ref reader);
                step = (int)(ReadInt64(ref reader) ?? -1);
            }
            else if (reader.ValueTextEquals("cols"u8))
            {
                Read(ref reader);
                columns = [];
                while (Read(ref reader) != JsonTokenType.EndArray)
                {
                    columns.Add(ParseColumn(ref reader));
                }
            }
            else if (reader.ValueTextEquals("affected_row_count"u8))
            {
                Read(ref reader);
                affected = ReadInt64(ref reader) ?? 0;
            }
            else if (reader.ValueTextEquals("last_insert_rowid"u8))
            {
                Read(ref reader);
                lastRowId = ReadInt64(ref reader);
            }
            else if (reader.ValueTextEquals("error"u8))
            {
                Read(ref reader);
                error = reader.TokenType == JsonTokenType.Null ? null : ParseError(ref reader);
            }
            else
            {
                SkipValue(ref reader);
            }
        }

        if (kind is HranaCursorEntryKind.StepError or HranaCursorEntryKind.Error && error is null)
        {
            error = new HranaError("The server reported an error without details.", null);
        }

        return new HranaCursorEntry(kind, step, columns, affected, lastRowId, error);
    }

    private static HranaCursorEntryKind ParseEntryKind(ref Utf8JsonReader reader)
    {
        if (reader.ValueTextEquals("row"u8))
        {
            return HranaCursorEntryKind.Row;
        }

        if (reader.ValueTextEquals("step_begin"u8))
        {
            return HranaCursorEntryKind.StepBegin;
        }

        if (reader.ValueTextEquals("step_end"u8))
        {
            return HranaCursorEntryKind.StepEnd;
        }

        if (reader.ValueTextEquals("step_error"u8))
        {
            return HranaCursorEntryKind.StepError;
        }

        return reader.ValueTextEquals("error"u8) ? HranaCursorEntryKind.Error : HranaCursorEntryKind.Other;
    }

    /// <summary>Best-effort parse of an HTTP error body; proxies may send HTML or plain text instead.</summary>
    public static HranaError? TryParseError(ReadOnlySpan<byte> json)
    {
        try
        {
            var reader = new Utf8JsonReader(json);
            if (!reader.Read() || reader.TokenType != JsonTokenType.StartObject)
            {
                return null;
            }

            var error = ParseError(ref reader);
            return error.Message.Length == 0 && error.Code is null ? null : error;
        }
        catch (JsonException)
        {
            return null;
        }
        catch (InvalidOperationException)
        {
            return null;
        }
    }

    private static HranaStreamResult ParseStreamResult(ref Utf8JsonReader reader)
    {
        Expect(ref reader, JsonTokenType.StartObject);
        HranaError? error = null;
        HranaStatementResult? execute = null;
        HranaBatchResult? batch = null;
        bool? autocommit = null;
        var isError = false;
        while (Read(ref reader) == JsonTokenType.PropertyName)
        {
            if (reader.ValueTextEquals("type"u8))
            {
                Read(ref reader);
                isError = reader.ValueTextEquals("error"u8);
            }
            else if (reader.ValueTextEquals("error"u8))
            {
                Read(ref reader);
                error = reader.TokenType == JsonTokenType.Null ? null : ParseError(ref reader);
            }
            else if (reader.ValueTextEquals("response"u8))
            {
                Read(ref reader);
                if (reader.TokenType == JsonTokenType.StartObject)
                {
                    ParseResponse(ref reader, out execute, out batch, out autocommit);
                }
                else
                {
                    SkipValue(ref reader);
                }
            }
            else
            {
                SkipValue(ref reader);
            }
        }

        if (isError && error is null)
        {
            error = new HranaError("The server reported an error without details.", null);
        }

        return new HranaStreamResult(error, execute, batch, autocommit);
    }

    private static void ParseResponse(ref Utf8JsonReader reader, out HranaStatementResult? execute, out HranaBatchResult? batch, out bool? autocommit)
    {
        execute = null;
        batch = null;
        autocommit = null;
        while (Read(ref reader) == JsonTokenType.PropertyName)
        {
            if (reader.ValueTextEquals("result"u8))
            {
                Read(ref reader);
                if (reader.TokenType == JsonTokenType.StartObject)
                {
                    ParseResultObject(ref reader, out execute, out batch);
                }
                else
                {
                    SkipValue(ref reader);
                }
            }
            else if (reader.ValueTextEquals("is_autocommit"u8))
            {
                Read(ref reader);
                autocommit = reader.TokenType == JsonTokenType.True;
            }
            else
            {
                SkipValue(ref reader);
            }
        }
    }

    /// <summary>An execute result and a batch result are told apart by their fields, not by the order of "type".</summary>
    private static void ParseResultObject(ref Utf8JsonReader reader, out HranaStatementResult? execute, out HranaBatchResult? batch)
    {
        execute = null;
        batch = null;
        List<HranaColumn>? columns = null;
        var values = new ValueList();
        var rowCount = 0;
        long affected = 0;
        long? lastRowId = null;
        List<HranaStatementResult?>? stepResults = null;
        List<HranaError?>? stepErrors = null;
        var isStatement = false;
        while (Read(ref reader) == JsonTokenType.PropertyName)
        {
            if (reader.ValueTextEquals("cols"u8))
            {
                isStatement = true;
                Read(ref reader);
                columns = [];
                while (Read(ref reader) != JsonTokenType.EndArray)
                {
                    columns.Add(ParseColumn(ref reader));
                }
            }
            else if (reader.ValueTextEquals("rows"u8))
            {
                isStatement = true;
                Read(ref reader);
                while (Read(ref reader) != JsonTokenType.EndArray)
                {
                    Expect(ref reader, JsonTokenType.StartArray);
                    while (Read(ref reader) != JsonTokenType.EndArray)
                    {
                        values.Add(ParseValue(ref reader));
                    }

                    rowCount++;
                }
            }
            else if (reader.ValueTextEquals("affected_row_count"u8))
            {
                isStatement = true;
                Read(ref reader);
                affected = ReadInt64(ref reader) ?? 0;
            }
            else if (reader.ValueTextEquals("last_insert_rowid"u8))
            {
                isStatement = true;
                Read(ref reader);
                lastRowId = ReadInt64(ref reader);
            }
            else if (reader.ValueTextEquals("step_results"u8))
            {
                Read(ref reader);
                stepResults = [];
                while (Read(ref reader) != JsonTokenType.EndArray)
                {
                    if (reader.TokenType == JsonTokenType.Null)
                    {
                        stepResults.Add(null);
                    }
                    else
                    {
                        ParseResultObject(ref reader, out var step, out _);
                        stepResults.Add(step ?? HranaStatementResult.Empty);
                    }
                }
            }
            else if (reader.ValueTextEquals("step_errors"u8))
            {
                Read(ref reader);
                stepErrors = [];
                while (Read(ref reader) != JsonTokenType.EndArray)
                {
                    stepErrors.Add(reader.TokenType == JsonTokenType.Null ? null : ParseError(ref reader));
                }
            }
            else
            {
                SkipValue(ref reader);
            }
        }

        if (stepResults is not null || stepErrors is not null)
        {
            batch = new HranaBatchResult((IReadOnlyList<HranaStatementResult?>?)stepResults ?? [], (IReadOnlyList<HranaError?>?)stepErrors ?? []);
        }
        else if (isStatement)
        {
            execute = new HranaStatementResult((IReadOnlyList<HranaColumn>?)columns ?? [], values.ToArray(), rowCount, affected, lastRowId);
        }
    }

    private static HranaColumn ParseColumn(ref Utf8JsonReader reader)
    {
        var (name, declared) = ParseStringPair(ref reader, "name"u8, "decltype"u8);
        return new HranaColumn(name ?? string.Empty, declared);
    }

    private static HranaError ParseError(ref Utf8JsonReader reader)
    {
        var (message, code) = ParseStringPair(ref reader, "message"u8, "code"u8);
        return new HranaError(message ?? string.Empty, code);
    }

    /// <summary>An object with two optional string properties and any others skipped: the shape of columns and errors.</summary>
    private static (string? First, string? Second) ParseStringPair(ref Utf8JsonReader reader, ReadOnlySpan<byte> first, ReadOnlySpan<byte> second)
    {
        Expect(ref reader, JsonTokenType.StartObject);
        string? a = null;
        string? b = null;
        while (Read(ref reader) == JsonTokenType.PropertyName)
        {
            var isFirst = reader.ValueTextEquals(first);
            if (isFirst || reader.ValueTextEquals(second))
            {
                Read(ref reader);
                var text = reader.TokenType == JsonTokenType.String ? reader.GetString() : null;
                if (isFirst)
                {
                    a = text;
                }
                else
                {
                    b = text;
                }
            }
            else
            {
                SkipValue(ref reader);
            }
        }

        return (a, b);
    }

    private static HranaValue ParseValue(ref Utf8JsonReader reader)
    {
        Expect(ref reader, JsonTokenType.StartObject);
        var kind = HranaValueKind.Null;
        HranaValue pending = default;
        var haveValue = false;
        while (Read(ref reader) == JsonTokenType.PropertyName)
        {
            if (reader.ValueTextEquals("type"u8))
            {
                Read(ref reader);
                kind = ParseKind(ref reader);
            }
            else if (reader.ValueTextEquals("value"u8) || reader.ValueTextEquals("base64"u8))
            {
                var isBase64 = reader.ValueTextEquals("base64"u8);
                Read(ref reader);
                pending = ReadRawValue(ref reader, isBase64, kind);
                haveValue = true;
            }
            else
            {
                SkipValue(ref reader);
            }
        }

        return kind switch
        {
            HranaValueKind.Null => HranaValue.Null,
            // sqld serialises a stored infinity as a float whose value is null: the sign is lost on the wire.
            HranaValueKind.Float when !haveValue || pending.Kind == HranaValueKind.Null => throw new LibSqlException(
                "The server sent a float without a value: the stored value is +Infinity or -Infinity, which the Hrana JSON protocol cannot carry.",
                "VALUE_NOT_REPRESENTABLE"),
            _ when !haveValue => throw new LibSqlException($"The server sent a {kind} value without its value.", "PROTOCOL_ERROR"),
            _ => Coerce(pending, kind),
        };
    }

    private static HranaValueKind ParseKind(ref Utf8JsonReader reader)
    {
        if (reader.ValueTextEquals("integer"u8))
        {
            return HranaValueKind.Integer;
        }

        if (reader.ValueTextEquals("text"u8))
        {
            return HranaValueKind.Text;
        }

        if (reader.ValueTextEquals("float"u8))
        {
            return HranaValueKind.Float;
        }

        if (reader.ValueTextEquals("blob"u8))
        {
            return HranaValueKind.Blob;
        }

        if (reader.ValueTextEquals("null"u8))
        {
            return HranaValueKind.Null;
        }

        throw new LibSqlException($"The server sent a value of unknown type '{reader.GetString()}'.", "PROTOCOL_ERROR");
    }

    /// <summary>
    /// Reads the payload before knowing its type for sure ("value" may precede "type"): a JSON string is kept as text,
    /// a number as a float (or an integer when it has no fraction), base64 is decoded.
    /// </summary>
    private static HranaValue ReadRawValue(ref Utf8JsonReader reader, bool isBase64, HranaValueKind knownKind)
    {
        switch (reader.TokenType)
        {
            case JsonTokenType.String when knownKind == HranaValueKind.Integer:
                // The common order ("type" first) lets integers be parsed from the UTF-8 bytes without a string.
                return HranaValue.FromInteger(ReadInt64(ref reader) ?? 0);
            case JsonTokenType.String when isBase64:
                return HranaValue.FromBlob(DecodeBase64(ref reader));
            case JsonTokenType.String:
                return HranaValue.FromText(reader.GetString()!);
            case JsonTokenType.Number:
                if (reader.TryGetInt64(out var whole))
                {
                    return HranaValue.FromInteger(whole);
                }

                return HranaValue.FromFloat(ReadDouble(ref reader));
            default:
                SkipValue(ref reader);
                return HranaValue.Null;
        }
    }

    /// <summary>Turns the raw payload into the declared type: integers arrive as strings, whole floats as JSON integers.</summary>
    private static HranaValue Coerce(HranaValue raw, HranaValueKind kind)
    {
        switch (kind)
        {
            case HranaValueKind.Integer:
                return raw.Kind switch
                {
                    HranaValueKind.Integer => raw,
                    HranaValueKind.Text => HranaValue.FromInteger(long.Parse(raw.Text, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture)),
                    HranaValueKind.Float => HranaValue.FromInteger((long)raw.Float),
                    _ => throw new LibSqlException("The server sent an integer in an unexpected form.", "PROTOCOL_ERROR"),
                };
            case HranaValueKind.Float:
                return raw.Kind switch
                {
                    HranaValueKind.Float => raw,
                    HranaValueKind.Integer => HranaValue.FromFloat(raw.Integer),
                    HranaValueKind.Text => HranaValue.FromFloat(double.Parse(raw.Text, NumberStyles.Float, CultureInfo.InvariantCulture)),
                    _ => throw new LibSqlException("The server sent a float in an unexpected form.", "PROTOCOL_ERROR"),
                };
            case HranaValueKind.Text:
                return raw.Kind == HranaValueKind.Text ? raw : throw new LibSqlException("The server sent text in an unexpected form.", "PROTOCOL_ERROR");
            case HranaValueKind.Blob:
                return raw.Kind switch
                {
                    HranaValueKind.Blob => raw,
                    HranaValueKind.Text => HranaValue.FromBlob(DecodeBase64(raw.Text)),
                    _ => throw new LibSqlException("The server sent a blob in an unexpected form.", "PROTOCOL_ERROR"),
                };
            default:
                return HranaValue.Null;
        }
    }

    private static double ReadDouble(ref Utf8JsonReader reader)
    {
        if (reader.TryGetDouble(out var value))
        {
            return value;
        }

        // A literal beyond double's range (1e999) is how an infinity travels in JSON.
        var span = reader.HasValueSequence ? reader.ValueSequence.ToArray() : reader.ValueSpan;
        return span.Length > 0 && span[0] == (byte)'-' ? double.NegativeInfinity : double.PositiveInfinity;
    }

    private static long? ReadInt64(ref Utf8JsonReader reader)
    {
        switch (reader.TokenType)
        {
            case JsonTokenType.Number:
                return reader.TryGetInt64(out var n) ? n : (long)reader.GetDouble();
            case JsonTokenType.String:
                if (!reader.ValueIsEscaped && !reader.HasValueSequence && Utf8Parser.TryParse(reader.ValueSpan, out long parsed, out var used) && used == reader.ValueSpan.Length)
                {
                    return parsed;
                }

                return long.Parse(reader.GetString()!, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture);
            default:
                SkipValue(ref reader);
                return null;
        }
    }

    private static byte[] DecodeBase64(ref Utf8JsonReader reader)
    {
        if (reader.TryGetBytesFromBase64(out var bytes))
        {
            return bytes;
        }

        return DecodeBase64(reader.GetString()!);
    }

    /// <summary>Some Hrana peers omit base64 padding, which the strict decoder refuses.</summary>
    private static byte[] DecodeBase64(string text)
    {
        var trimmed = text.TrimEnd('=');
        var padded = (trimmed.Length % 4) switch
        {
            2 => trimmed + "==",
            3 => trimmed + "=",
            _ => trimmed,
        };
        return Convert.FromBase64String(padded.Replace('-', '+').Replace('_', '/'));
    }

    private static JsonTokenType Read(ref Utf8JsonReader reader)
    {
        if (!reader.Read())
        {
            throw new LibSqlException("The server's response ended before the JSON was complete.", "PROTOCOL_ERROR");
        }

        return reader.TokenType;
    }

    private static void Expect(ref Utf8JsonReader reader, JsonTokenType type)
    {
        if (reader.TokenType != type)
        {
            throw new LibSqlException($"Unexpected JSON in the server's response: expected {type}, found {reader.TokenType}.", "PROTOCOL_ERROR");
        }
    }

    private static void SkipValue(ref Utf8JsonReader reader)
    {
        if (reader.TokenType == JsonTokenType.PropertyName)
        {
            reader.Read();
        }

        reader.Skip();
    }

    /// <summary>A growable array of cells that hands over its buffer without a final copy when it is exactly full.</summary>
    private struct ValueList
    {
        private HranaValue[]? _items;
        private int _count;

        public void Add(HranaValue value)
        {
            if (_items is null)
            {
                _items = new HranaValue[16];
            }
            else if (_count == _items.Length)
            {
                Array.Resize(ref _items, _items.Length * 2);
            }

            _items[_count++] = value;
        }

        public readonly HranaValue[] ToArray()
        {
            if (_items is null)
            {
                return [];
            }

            return _count == _items.Length ? _items : _items.AsSpan(0, _count).ToArray();
        }
    }
}
