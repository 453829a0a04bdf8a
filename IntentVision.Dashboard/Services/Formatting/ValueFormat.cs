using System.Globalization;

namespace IntentVision.Dashboard.Services.Formatting;

/// <summary>
/// Numbers as an analyst reads them: a few significant digits (516.52277 reads 516.5), thousands as k, M, G, and
/// the unit where the metric names one, scaled to a readable size (1,530 ms reads 1.53 s, 5,300,000 B reads 5.3 MB).
/// </summary>
public static class ValueFormat
{
    /// <summary>Enough to tell values on one chart apart, few enough to read at a glance.</summary>
    public const int SignificantDigits = 4;

    private static readonly CultureInfo Invariant = CultureInfo.InvariantCulture;

    public static string Format(double value, MetricUnit? unit = null)
    {
        if (double.IsNaN(value))
        {
            return "n/a";
        }

        if (double.IsInfinity(value))
        {
            return value > 0 ? "∞" : "-∞";
        }

        unit ??= MetricUnit.None;
        return unit.Kind switch
        {
            UnitKind.Duration => Duration(value, unit),
            UnitKind.Bytes => Scaled(value, 1000, ["B", "kB", "MB", "GB", "TB", "PB"]),
            UnitKind.Percent => Significant(value) + " %",
            _ => Scaled(value, 1000, [string.Empty, "k", "M", "G", "T"]),
        };
    }

    public static string Format(double? value, MetricUnit? unit = null) => value is { } v ? Format(v, unit) : "n/a";

    /// <summary>The value rounded to <see cref="SignificantDigits"/> significant digits, without exponent for everyday magnitudes.</summary>
    public static string Significant(double value)
    {
        var rounded = RoundSignificant(value);
        if (rounded == 0)
        {
            return "0";
        }

        var magnitude = Magnitude(rounded);
        if (magnitude is < -6 or > 15)
        {
            return rounded.ToString("0.###e+0", Invariant);
        }

        var decimals = Math.Max(0, SignificantDigits - 1 - magnitude);
        return rounded.ToString("#,0." + new string('#', decimals), Invariant);
    }

    /// <summary>The value rounded to <see cref="SignificantDigits"/> significant digits.</summary>
    public static double RoundSignificant(double value)
    {
        if (value == 0 || !double.IsFinite(value))
        {
            return value;
        }

        var decimals = SignificantDigits - 1 - Magnitude(value);
        if (decimals >= 0)
        {
            return Math.Round(value, Math.Min(decimals, 15), MidpointRounding.AwayFromZero);
        }

        var factor = Math.Pow(10, -decimals);
        return Math.Round(value / factor, MidpointRounding.AwayFromZero) * factor;
    }

    private static int Magnitude(double value) => (int)Math.Floor(Math.Log10(Math.Abs(value)));

    private static string Scaled(double value, double step, string[] names)
    {
        var index = 0;
        var scaled = RoundSignificant(value);
        // Rounded first, so 999,960 reads 1 M rather than 1,000 k.
        while (Math.Abs(scaled) >= step && index < names.Length - 1)
        {
            scaled = RoundSignificant(scaled / step);
            index++;
        }

        return names[index].Length == 0 ? Significant(scaled) : $"{Significant(scaled)} {names[index]}";
    }

    private static string Duration(double value, MetricUnit unit)
    {
        var seconds = unit == MetricUnit.Milliseconds ? value / 1000 : value;
        var abs = Math.Abs(seconds);
        return abs switch
        {
            0 => "0 " + unit.Name,
            < 1e-3 => $"{Significant(seconds * 1e6)} µs",
            < 1 => $"{Significant(seconds * 1e3)} ms",
            < 120 => $"{Significant(seconds)} s",
            < 7200 => $"{Significant(seconds / 60)} min",
            < 172_800 => $"{Significant(seconds / 3600)} h",
            _ => $"{Significant(seconds / 86_400)} d",
        };
    }
}
