using System.Globalization;

namespace IntentVision.Data;

/// <summary>The two ways time is stored: points as Unix epoch milliseconds, bookkeeping as ISO-8601 UTC text.</summary>
internal static class DbTime
{
    public static DateTimeOffset ParseText(string text) =>
        DateTimeOffset.Parse(text, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal | DateTimeStyles.AdjustToUniversal);

    public static DateTimeOffset? ParseText(string? text, bool allowNull) => text is null ? null : ParseText(text);

    public static string ToText(DateTimeOffset time) => time.ToUniversalTime().ToString("O", CultureInfo.InvariantCulture);

    public static DateTimeOffset FromMilliseconds(long milliseconds) => DateTimeOffset.FromUnixTimeMilliseconds(milliseconds);
}
