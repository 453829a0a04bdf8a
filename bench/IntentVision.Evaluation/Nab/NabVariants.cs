using System.Globalization;
using IntentVision.Analytics.AnomalyDetection;

namespace IntentVision.Evaluation.Nab;

/// <summary>Named monitor settings the <c>nab</c> command can run (<c>--detector</c>).</summary>
public static class NabVariants
{
    public const string Default = "intentvision";

    public static IReadOnlyDictionary<string, MonitorSettings> All { get; } = new Dictionary<string, MonitorSettings>(StringComparer.OrdinalIgnoreCase)
    {
        [Default] = MonitorSettings.Default,
        ["ensemble"] = WithDetector(d => d with { Kind = AnomalyDetectorKind.Ensemble }),
        ["madResidual"] = WithDetector(d => d with { Kind = AnomalyDetectorKind.ForecastResidualMad }),
        ["seasonalMad"] = WithDetector(d => d with { Kind = AnomalyDetectorKind.SeasonalMad }),
        ["seasonalHybridEsd"] = WithDetector(d => d with { Kind = AnomalyDetectorKind.SeasonalHybridEsd }),
        ["custom"] = Custom(Environment.GetEnvironmentVariable("NAB_OPTIONS")),
    };

    public static MonitorSettings WithDetector(Func<AnomalyDetectorOptions, AnomalyDetectorOptions> change) =>
        MonitorSettings.Default with { Detector = change(MonitorSettings.Default.Detector) };

    /// <summary>
    /// The default settings with <c>Name=value;Name=value</c> applied, each name a property of
    /// <see cref="MonitorSettings"/> or of <see cref="AnomalyDetectorOptions"/> (for measuring variants).
    /// </summary>
    public static MonitorSettings Custom(string? assignments)
    {
        var monitor = MonitorSettings.Default with { };
        var detector = monitor.Detector with { };
        foreach (var part in (assignments ?? string.Empty).Split(';', StringSplitOptions.RemoveEmptyEntries))
        {
            var pieces = part.Split('=', 2);
            var (name, text) = (pieces[0].Trim(), pieces.Length > 1 ? pieces[1].Trim() : string.Empty);
            object target = typeof(MonitorSettings).GetProperty(name) is not null ? monitor : detector;
            var property = target.GetType().GetProperty(name) ?? throw new ArgumentException($"unknown setting {name}");
            var type = Nullable.GetUnderlyingType(property.PropertyType) ?? property.PropertyType;
            object value = type.IsEnum ? Enum.Parse(type, text) : type == typeof(TimeSpan) ? TimeSpan.Parse(text, CultureInfo.InvariantCulture) : Convert.ChangeType(text, type, CultureInfo.InvariantCulture);
            property.SetValue(target, value);
        }

        return monitor with { Detector = detector };
    }
}
