namespace IntentVision.Api.Tests.Probe;

/// <summary>Odd and hostile values, by where they go. None is a URL off loopback: the probe never makes the API reach out.</summary>
internal static class HostileValues
{
    public static readonly string KeyShaped = "ivk_" + new string('A', 43);

    /// <summary>JSON tokens for body fields: numbers at and past every range, wrong types, nesting, text that attacks.</summary>
    public static readonly string[] Json =
    [
        "0", "-1", "1.5", "1e308", "-1e308", "1.7976931348623157e308", "5e-324", "1e30", "-1e30", "2147483648", "-2147483649",
        "9223372036854775807", "9223372036854775808", "1e400", "-0", "null", "true", "\"\"", "\" \"", $"\"{new string('x', 5000)}\"",
        $"\"{KeyShaped}\"", "\"'; DROP TABLE metrics;--\"", "\"\\u0000💥\\ud800\"", "\"2026-01-01T00:00:00\"", "\"9999-12-31T23:59:59Z\"",
        "\"0001-01-01T00:00:00+14:00\"", "\"NaN\"", "\"-Infinity\"", "\"1e400\"", "\"http://127.0.0.1:1/\"", "[]", "{}", "[null]",
        "{\"a\":{\"b\":{\"c\":[1,{\"d\":null}]}}}", "[" + string.Join(",", Enumerable.Repeat("1e308", 300)) + "]",
    ];

    /// <summary>Query values for each kind of parameter, as OpenAPI types them.</summary>
    public static readonly string[] Integer = ["0", "-1", "1", "2147483647", "2147483648", "-2147483649", "99999999999999999999", "1e3", "abc", "", " 7", "0x10"];

    public static readonly string[] Text = ["", " ", new string('x', 3000), "%", "_", "'", "\"", "\\", KeyShaped, "\u0000", "💥", "a b", "../..", "dim.x"];

    public static readonly string[] Time =
    [
        "0001-01-01T00:00:00Z", "9999-12-31T23:59:59.9999999Z", "2026-01-01T00:00:00", "2026-01-01", "yesterday", "2026-13-45T99:00:00Z",
        "-1", "0", "1e18", "0001-01-01T00:00:00+14:00", "9999-12-31T23:59:59-14:00",
    ];

    public static readonly string[] Boolean = ["true", "false", "maybe", "1", "", "TRUE"];

    public static readonly string[] Step = ["1000000000d", "999999999w", "P99999999Y", "PT0S", "-5m", "1e-9s", "0.5s", "3660d", "3661d", "1.5w", "1e308s", "NaNs", "Infinityd", "P1Y", "p1d", "60", "m", "1h"];

    public static readonly string[] Aggregate = ["sum", "avg", "min", "max", "count", "last", "SUM", "1", "median", ""];

    /// <summary>Path segments for ids; routing constraints answer most, handlers the rest.</summary>
    public static readonly string[] Id = ["0", "-1", "9223372036854775807", "9223372036854775808", "abc", "1e3", "%20", "%2F..%2F", KeyShaped, new string('9', 400)];

    /// <summary>Organization names for the header and the path form.</summary>
    public static readonly string[] Organization = ["", "ghost-org", new string('o', 300), "..%2F..", "ORG", "%00", "💥", "org'--"];
}
