namespace IntentVision.Api.Ingestion;

/// <summary>
/// The one rule for timestamps written as text, in JSON and CSV alike: ISO-8601 with a time and an explicit offset
/// (<c>Z</c> or <c>+hh:mm</c>). A time without one would be read in whatever zone the server runs in.
/// </summary>
public static class TimestampText
{
    public const string OffsetRequired = "has no UTC offset: end it with Z or +hh:mm (e.g. 2026-01-01T12:00:00Z)";

    public static bool HasOffset(ReadOnlySpan<char> text)
    {
        var time = text.IndexOfAny('T', 't', ' ');
        if (time < 0)
        {
            return false;
        }

        var rest = text[(time + 1)..].TrimEnd();
        return rest.Length > 0 && (rest[^1] is 'Z' or 'z' || rest.IndexOfAny('+', '-') >= 0);
    }

    /// <summary>The same rule on UTF-8 bytes, for the fast JSON reader (timestamps are ASCII; anything else is refused).</summary>
    public static bool HasOffset(ReadOnlySpan<byte> utf8)
    {
        if (utf8.Length > 64)
        {
            return false;
        }

        Span<char> text = stackalloc char[utf8.Length];
        for (var i = 0; i < utf8.Length; i++)
        {
            text[i] = (char)utf8[i];
        }

        return HasOffset(text);
    }
}
