using System.Globalization;
using System.Text.Json;
using System.Text.Json.Serialization;

namespace IntentVision.Api.Infrastructure;

/// <summary>
/// Reads every number of a request body as a finite double. The default reader turns <c>1e400</c> into infinity,
/// which nothing downstream can store, send over Hrana or write as JSON; here it is refused where it is read, naming
/// the field. Numbers in strings are read as the API's JSON options allow (<c>"1.5"</c>).
/// </summary>
public sealed class FiniteDoubleConverter : JsonConverter<double>
{
    private const string OutOfRange = "is beyond the range of a double (±1.8e308).";

    public override double Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options)
    {
        double value;
        if (reader.TokenType == JsonTokenType.Number)
        {
            value = reader.GetDouble();
        }
        else if (reader.TokenType == JsonTokenType.String && (options.NumberHandling & JsonNumberHandling.AllowReadingFromString) != 0
                 && double.TryParse(reader.GetString(), NumberStyles.Float, CultureInfo.InvariantCulture, out var parsed))
        {
            value = parsed;
        }
        else
        {
            throw new JsonException("expected a number.");
        }

        return double.IsFinite(value) ? value : throw new JsonException($"the number {OutOfRange}");
    }

    public override void Write(Utf8JsonWriter writer, double value, JsonSerializerOptions options) => writer.WriteNumberValue(value);
}
