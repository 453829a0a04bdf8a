using System.Globalization;

namespace IntentVision.Dashboard.Components.Charts;

/// <summary>Maps times and values to SVG coordinates and picks readable ticks for both axes.</summary>
public sealed class ChartScale
{
    private static readonly TimeSpan[] TimeSteps =
    [
        TimeSpan.FromSeconds(10), TimeSpan.FromSeconds(30), TimeSpan.FromMinutes(1), TimeSpan.FromMinutes(5),
        TimeSpan.FromMinutes(10), TimeSpan.FromMinutes(15), TimeSpan.FromMinutes(30), TimeSpan.FromHours(1),
        TimeSpan.FromHours(2), TimeSpan.FromHours(3), TimeSpan.FromHours(6), TimeSpan.FromHours(12), TimeSpan.FromDays(1),
        TimeSpan.FromDays(2), TimeSpan.FromDays(7), TimeSpan.FromDays(14), TimeSpan.FromDays(30), TimeSpan.FromDays(91),
        TimeSpan.FromDays(182), TimeSpan.FromDays(365),
    ];

    public ChartScale(DateTime from, DateTime to, double min, double max, double left, double top, double width, double height)
    {
        if (to <= from)
        {
            to = from.AddMinutes(1);
        }

        if (!(max > min))
        {
            var pad = Math.Abs(min) > 0 ? Math.Abs(min) * 0.1 : 1;
            min -= pad;
            max += pad;
        }

        From = from;
        To = to;
        Left = left;
        Top = top;
        Width = width;
        Height = height;
        ValueStep = NiceStep((max - min) / 5);
        Min = Math.Floor(min / ValueStep) * ValueStep;
        Max = Math.Ceiling(max / ValueStep) * ValueStep;
    }

    public DateTime From { get; }

    public DateTime To { get; }

    public double Min { get; }

    public double Max { get; }

    public double ValueStep { get; }

    public double Left { get; }

    public double Top { get; }

    public double Width { get; }

    public double Height { get; }

    public TimeSpan Span => To - From;

    public double X(DateTime time) => Left + (time - From).Ticks / (double)(To - From).Ticks * Width;

    public double Y(double value) => Top + (1 - (value - Min) / (Max - Min)) * Height;

    public IEnumerable<double> ValueTicks()
    {
        for (var v = Min; v <= Max + ValueStep / 2; v += ValueStep)
        {
            yield return Math.Abs(v) < ValueStep / 1e6 ? 0 : v;
        }
    }

    /// <summary>At most about <paramref name="count"/> ticks on round times of the display zone (whole hours, days).</summary>
    public IEnumerable<DateTime> TimeTicks(TimeSpan zoneOffset, int count = 8)
    {
        var step = TimeSteps.FirstOrDefault(s => Span / s <= count, TimeSteps[^1]);
        var local = From + zoneOffset;
        var first = new DateTime(local.Ticks - local.Ticks % step.Ticks + (local.Ticks % step.Ticks == 0 ? 0 : step.Ticks), DateTimeKind.Utc) - zoneOffset;
        for (var t = first; t <= To; t += step)
        {
            yield return t;
        }
    }

    /// <summary>How tick labels read for the span shown: times within a day, dates beyond a few days.</summary>
    public string TickFormat => Span > TimeSpan.FromDays(4) ? "MM-dd" : Span > TimeSpan.FromHours(20) ? "MM-dd HH:mm" : "HH:mm";

    /// <summary>1, 2 or 5 times a power of ten, the nearest at or above <paramref name="rough"/>.</summary>
    public static double NiceStep(double rough)
    {
        if (!(rough > 0) || !double.IsFinite(rough))
        {
            return 1;
        }

        var power = Math.Pow(10, Math.Floor(Math.Log10(rough)));
        var fraction = rough / power;
        return (fraction <= 1 ? 1 : fraction <= 2 ? 2 : fraction <= 5 ? 5 : 10) * power;
    }

    public static string Number(double value) => value.ToString("0.#", CultureInfo.InvariantCulture);
}
