using System.Buffers.Text;
using System.Text.Encodings.Web;
using System.Text.Json;

namespace IntentVision.LibSql.Hrana;

/// <summary>
/// Writes pipeline request bodies with <see cref="Utf8JsonWriter"/> straight into a pooled buffer: no object graph,
/// no reflection, and 64-bit integers as strings so no value above 2^53 loses precision on the way.
/// </summary>
internal static class HranaJsonWriter
{
    // The relaxed encoder keeps non-ASCII text as UTF-8 instead of \uXXXX escapes: smaller bodies, same JSON.
    private static readonly JsonWriterOptions WriterOptions = new()
    {
        Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
        SkipValidation = true,
    };

    public static void WritePipeline(PooledBufferWriter output, string? baton, IReadOnlyList<HranaRequest> requests)
    {
        using var writer = new Utf8JsonWriter(output, WriterOptions);
        writer.WriteStartObject();
        WriteBaton(writer, baton);

        writer.WriteStartArray("requests"u8);
        foreach (var request in requests)
        {
            WriteRequest(writer, request);
        }

        writer.WriteEndArray();
        writer.WriteEndObject();
        writer.Flush();
    }

    /// <summary>A <c>/v3/cursor</c> body: one batch whose results come back as a stream of entries.</summary>
    public static void WriteCursor(PooledBufferWriter output, string? baton, IReadOnlyList<HranaBatchStep> steps)
    {
        using var writer = new Utf8JsonWriter(output, WriterOptions);
        writer.WriteStartObject();
        WriteBaton(writer, baton);

        writer.WriteStartObject("batch"u8);
        WriteSteps(writer, steps);
        writer.WriteEndObject();
        writer.WriteEndObject();
        writer.Flush();
    }

    /// <summary>The stream to continue, or null to open a new one: the first field of every pipeline and cursor body.</summary>
    private static void WriteBaton(Utf8JsonWriter writer, string? baton)
    {
        if (baton is null)
        {
            writer.WriteNull("baton"u8);
        }
        else
        {
            writer.WriteString("baton"u8, baton);
        }
    }

    private static void WriteSteps(Utf8JsonWriter writer, IReadOnlyList<HranaBatchStep> steps)
    {
        writer.WriteStartArray("steps"u8);
        foreach (var step in steps)
        {
            writer.WriteStartObject();
            if (step.Condition is not null)
            {
                writer.WritePropertyName("condition"u8);
                WriteCondition(writer, step.Condition);
            }

            writer.WritePropertyName("stmt"u8);
            WriteStatement(writer, step.Statement);
            writer.WriteEndObject();
        }

        writer.WriteEndArray();
    }

    private static void WriteRequest(Utf8JsonWriter writer, HranaRequest request)
    {
        writer.WriteStartObject();
        switch (request.Kind)
        {
            case HranaRequestKind.Execute:
                writer.WriteString("type"u8, "execute"u8);
                writer.WritePropertyName("stmt"u8);
                WriteStatement(writer, request.Statement!);
                break;
            case HranaRequestKind.Batch:
                writer.WriteString("type"u8, "batch"u8);
                writer.WriteStartObject("batch"u8);
                WriteSteps(writer, request.Steps!);
                writer.WriteEndObject();
                break;
            case HranaRequestKind.Close:
                writer.WriteString("type"u8, "close"u8);
                break;
            case HranaRequestKind.GetAutocommit:
                writer.WriteString("type"u8, "get_autocommit"u8);
                break;
            default:
                throw new ArgumentOutOfRangeException(nameof(request), request.Kind, "Unknown Hrana request kind.");
        }

        writer.WriteEndObject();
    }

    private static void WriteStatement(Utf8JsonWriter writer, HranaStatement statement)
    {
        writer.WriteStartObject();
        writer.WriteString("sql"u8, statement.Sql);
        if (statement.ArgumentNames is { } names)
        {
            writer.WriteStartArray("named_args"u8);
            for (var i = 0; i < names.Length; i++)
            {
                writer.WriteStartObject();
                writer.WriteString("name"u8, names[i]);
                writer.WritePropertyName("value"u8);
                WriteValue(writer, statement.Arguments[i]);
                writer.WriteEndObject();
            }

            writer.WriteEndArray();
        }
        else if (statement.Arguments.Length > 0)
        {
            writer.WriteStartArray("args"u8);
            foreach (var value in statement.Arguments)
            {
                WriteValue(writer, value);
            }

            writer.WriteEndArray();
        }

        if (!statement.WantRows)
        {
            writer.WriteBoolean("want_rows"u8, false);
        }

        writer.WriteEndObject();
    }

    private static void WriteCondition(Utf8JsonWriter writer, HranaCondition condition)
    {
        writer.WriteStartObject();
        switch (condition.Kind)
        {
            case HranaConditionKind.Ok:
                writer.WriteString("type"u8, "ok"u8);
                writer.WriteNumber("step"u8, condition.Step);
                break;
            case HranaConditionKind.Error:
                writer.WriteString("type"u8, "error"u8);
                writer.WriteNumber("step"u8, condition.Step);
                break;
            case HranaConditionKind.Not:
                writer.WriteString("type"u8, "not"u8);
                writer.WritePropertyName("cond"u8);
                WriteCondition(writer, condition.Operands![0]);
                break;
            case HranaConditionKind.And:
            case HranaConditionKind.Or:
                writer.WriteString("type"u8, condition.Kind == HranaConditionKind.And ? "and"u8 : "or"u8);
                writer.WriteStartArray("conds"u8);
                foreach (var operand in condition.Operands!)
                {
                    WriteCondition(writer, operand);
                }

                writer.WriteEndArray();
                break;
            case HranaConditionKind.IsAutocommit:
                writer.WriteString("type"u8, "is_autocommit"u8);
                break;
        }

        writer.WriteEndObject();
    }

    private static void WriteValue(Utf8JsonWriter writer, in HranaValue value)
    {
        writer.WriteStartObject();
        switch (value.Kind)
        {
            case HranaValueKind.Integer:
                writer.WriteString("type"u8, "integer"u8);
                Span<byte> digits = stackalloc byte[24];
                Utf8Formatter.TryFormat(value.Integer, digits, out var length);
                writer.WriteString("value"u8, digits[..length]);
                break;
            case HranaValueKind.Float when double.IsFinite(value.Float):
                writer.WriteString("type"u8, "float"u8);
                writer.WriteNumber("value"u8, value.Float);
                break;
            case HranaValueKind.Float when double.IsNaN(value.Float):
                // SQLite stores NaN as NULL, so that is what the server would keep anyway.
                writer.WriteString("type"u8, "null"u8);
                break;
            case HranaValueKind.Float:
                // Hrana's JSON has no infinity: sqld rejects an out-of-range literal such as 1e999 for the whole
                // request. Say so here, naming the value, rather than let the server answer with a parse error.
                throw new LibSqlException(
                    $"{(value.Float > 0 ? "+" : "-")}Infinity cannot be sent to a libSQL server: the Hrana JSON protocol has no representation for it. Store it as NULL or as a finite sentinel.",
                    "VALUE_NOT_REPRESENTABLE");
            case HranaValueKind.Text:
                writer.WriteString("type"u8, "text"u8);
                writer.WriteString("value"u8, value.Text);
                break;
            case HranaValueKind.Blob:
                writer.WriteString("type"u8, "blob"u8);
                writer.WriteBase64String("base64"u8, value.Blob);
                break;
            default:
                writer.WriteString("type"u8, "null"u8);
                break;
        }

        writer.WriteEndObject();
    }
}
