using System.Text;
using System.Text.Json;

namespace IntentVision.Api.Ingestion;

/// <summary>
/// Reads a JSON ingest body. The common shape (an object with <c>points</c>, each an object of metric, timestamp,
/// value and string dimensions) is read by a single <see cref="Utf8JsonReader"/> pass that reuses the metric string and
/// the dimensions object of the previous point when their bytes are the same. Anything else (escaped or non-ASCII
/// property names, numbers as strings, duplicates, malformed input, ...) is handed to <see cref="JsonSerializer"/> with
/// the API's options, so results and errors are exactly those of the serializer.
/// </summary>
public static class IngestJsonReader
{
    public static IngestRequest? Read(ReadOnlySpan<byte> body, JsonSerializerOptions options)
    {
        if (TryReadFast(body, out var request))
        {
            return request;
        }

        return JsonSerializer.Deserialize<IngestRequest>(body, options);
    }

    /// <summary>The fast path alone: false whenever the serializer must decide. Public for tests.</summary>
    public static bool TryReadFast(ReadOnlySpan<byte> body, out IngestRequest? request)
    {
        request = null;
        try
        {
            var reader = new Utf8JsonReader(body, new JsonReaderOptions { CommentHandling = JsonCommentHandling.Disallow, AllowTrailingCommas = false });
            if (!reader.Read() || reader.TokenType != JsonTokenType.StartObject)
            {
                return false;
            }

            List<IngestPoint?>? points = null;
            while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
            {
                if (!Name(ref reader, "points"u8, out var match))
                {
                    return false;
                }

                reader.Read();
                if (!match)
                {
                    reader.Skip();
                    continue;
                }

                if (points is not null || reader.TokenType != JsonTokenType.StartArray || !ReadPoints(ref reader, body, out points))
                {
                    return false;
                }
            }

            // The root object must be closed and nothing but whitespace may follow.
            if (reader.TokenType != JsonTokenType.EndObject || reader.Read())
            {
                return false;
            }

            request = new IngestRequest(points);
            return true;
        }
        catch (Exception e) when (e is JsonException or InvalidOperationException or FormatException or ArgumentException)
        {
            return false;
        }
    }

    private static bool ReadPoints(ref Utf8JsonReader reader, ReadOnlySpan<byte> body, out List<IngestPoint?>? points)
    {
        points = new List<IngestPoint?>();
        string? lastMetric = null;
        var lastMetricBytes = ReadOnlySpan<byte>.Empty;
        Dictionary<string, string?>? lastDimensions = null;
        var lastDimensionBytes = ReadOnlySpan<byte>.Empty;
        while (reader.Read() && reader.TokenType != JsonTokenType.EndArray)
        {
            if (reader.TokenType == JsonTokenType.Null)
            {
                points.Add(null);
                continue;
            }

            if (reader.TokenType != JsonTokenType.StartObject)
            {
                return false;
            }

            string? metric = null;
            DateTimeOffset? timestamp = null;
            double? value = null;
            Dictionary<string, string?>? dimensions = null;
            var seen = 0;
            while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
            {
                var field = PointField(ref reader);
                if (field < 0)
                {
                    return false;
                }

                reader.Read();
                if (field == 0)
                {
                    reader.Skip();
                    continue;
                }

                if ((seen & field) != 0)
                {
                    return false;
                }

                seen |= field;
                if (reader.TokenType == JsonTokenType.Null)
                {
                    continue;
                }

                switch (field)
                {
                    case 1:
                        if (reader.TokenType != JsonTokenType.String)
                        {
                            return false;
                        }

                        if (lastMetric is not null && !reader.ValueIsEscaped && reader.ValueSpan.SequenceEqual(lastMetricBytes))
                        {
                            metric = lastMetric;
                        }
                        else
                        {
                            metric = reader.GetString();
                            if (!reader.ValueIsEscaped && !reader.HasValueSequence)
                            {
                                lastMetric = metric;
                                lastMetricBytes = reader.ValueSpan;
                            }
                        }

                        break;
                    case 2:
                        if (reader.TokenType != JsonTokenType.String || reader.ValueIsEscaped || !TimestampText.HasOffset(reader.ValueSpan) || !reader.TryGetDateTimeOffset(out var parsed))
                        {
                            return false;
                        }

                        timestamp = parsed;
                        break;
                    case 4:
                        if (reader.TokenType != JsonTokenType.Number || !reader.TryGetDouble(out var number))
                        {
                            return false;
                        }

                        value = number;
                        break;
                    default:
                        if (reader.TokenType != JsonTokenType.StartObject)
                        {
                            return false;
                        }

                        var start = (int)reader.TokenStartIndex;
                        var snapshot = reader;
                        reader.Skip();
                        var bytes = body[start..((int)reader.TokenStartIndex + 1)];
                        if (lastDimensions is not null && bytes.SequenceEqual(lastDimensionBytes))
                        {
                            // Same bytes, same dictionary: shared between points, read-only from here on.
                            dimensions = lastDimensions;
                        }
                        else
                        {
                            reader = snapshot;
                            if (!ReadDimensions(ref reader, out dimensions))
                            {
                                return false;
                            }

                            lastDimensions = dimensions;
                            lastDimensionBytes = bytes;
                        }

                        break;
                }
            }

            if (reader.TokenType != JsonTokenType.EndObject)
            {
                return false;
            }

            points.Add(new IngestPoint(metric, timestamp, value, dimensions));
        }

        return reader.TokenType == JsonTokenType.EndArray;
    }

    private static bool ReadDimensions(ref Utf8JsonReader reader, out Dictionary<string, string?>? dimensions)
    {
        dimensions = new Dictionary<string, string?>();
        while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
        {
            var key = reader.GetString()!;
            reader.Read();
            string? value;
            if (reader.TokenType == JsonTokenType.Null)
            {
                value = null;
            }
            else if (reader.TokenType == JsonTokenType.String)
            {
                value = reader.GetString();
            }
            else
            {
                return false;
            }

            if (!dimensions.TryAdd(key, value))
            {
                return false;
            }
        }

        return reader.TokenType == JsonTokenType.EndObject;
    }

    /// <summary>1 metric, 2 timestamp, 4 value, 8 dimensions, 0 another property, -1 for the serializer to decide.</summary>
    private static int PointField(ref Utf8JsonReader reader)
    {
        if (reader.ValueIsEscaped || reader.HasValueSequence || !Ascii.IsValid(reader.ValueSpan))
        {
            return -1;
        }

        var name = reader.ValueSpan;
        return Ascii.EqualsIgnoreCase(name, "metric"u8) ? 1
            : Ascii.EqualsIgnoreCase(name, "timestamp"u8) ? 2
            : Ascii.EqualsIgnoreCase(name, "value"u8) ? 4
            : Ascii.EqualsIgnoreCase(name, "dimensions"u8) ? 8
            : 0;
    }

    /// <summary>
    /// Whether the property name is <paramref name="expected"/> ignoring ASCII case (the API reads names case-insensitively).
    /// False as the result means "let the serializer decide": an escaped or non-ASCII name, whose case folding is its call.
    /// </summary>
    private static bool Name(ref Utf8JsonReader reader, ReadOnlySpan<byte> expected, out bool match)
    {
        match = false;
        if (reader.ValueIsEscaped || reader.HasValueSequence || !Ascii.IsValid(reader.ValueSpan))
        {
            return false;
        }

        match = Ascii.EqualsIgnoreCase(reader.ValueSpan, expected);
        return true;
    }
}
