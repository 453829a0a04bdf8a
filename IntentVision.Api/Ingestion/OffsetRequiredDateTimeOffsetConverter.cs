using System.Text.Json;
using System.Text.Json.Serialization;

namespace IntentVision.Api.Ingestion;

/// <summary>
/// Reads a <see cref="DateTimeOffset"/> from JSON only when it carries an offset (<see cref="TimestampText"/>):
/// the default reader takes <c>2026-01-01T12:00:00</c> as server-local time. Writes as the default does.
/// </summary>
public sealed class OffsetRequiredDateTimeOffsetConverter : JsonConverter<DateTimeOffset>
{
    public override DateTimeOffset Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options)
    {
        if (reader.TokenType != JsonTokenType.String)
        {
            throw new JsonException("expected an ISO-8601 time with an offset (Z or +hh:mm).");
        }

        var text = reader.GetString()!;
        if (!TimestampText.HasOffset(text))
        {
            throw new JsonException($"'{(text.Length <= 40 ? text : text[..40] + "…")}' {TimestampText.OffsetRequired}.");
        }

        return reader.TryGetDateTimeOffset(out var value)
            ? value
            : throw new JsonException("expected an ISO-8601 time with an offset (Z or +hh:mm).");
    }

    public override void Write(Utf8JsonWriter writer, DateTimeOffset value, JsonSerializerOptions options) => writer.WriteStringValue(value);
}
