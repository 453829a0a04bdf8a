namespace IntentVision.Evaluation.M4;

/// <summary>
/// One M4 frequency and the competition's rules for it: the forecast horizon, the lag of the MASE scale and of
/// Naive2's seasonality test (1: no season), the grid its series are laid on (M4 series carry no timestamps),
/// and the column of the published results table.
/// </summary>
public sealed record M4Frequency(string Name, int Horizon, int SeasonalLag, TimeSpan Step, int PublishedColumn)
{
    /// <summary>The mean Gregorian year, so a month and a quarter are exact twelfths and quarters of it.</summary>
    private static readonly TimeSpan Year = TimeSpan.FromDays(365.2425);

    public static readonly M4Frequency Hourly = new("Hourly", 48, 24, TimeSpan.FromHours(1), 5);
    public static readonly M4Frequency Daily = new("Daily", 14, 1, TimeSpan.FromDays(1), 4);
    public static readonly M4Frequency Weekly = new("Weekly", 13, 1, TimeSpan.FromDays(7), 3);
    public static readonly M4Frequency Monthly = new("Monthly", 18, 12, Year / 12, 2);
    public static readonly M4Frequency Quarterly = new("Quarterly", 8, 4, Year / 4, 1);
    public static readonly M4Frequency Yearly = new("Yearly", 6, 1, Year, 0);

    public static IReadOnlyList<M4Frequency> All { get; } = [Hourly, Daily, Weekly, Monthly, Quarterly, Yearly];

    /// <summary>The name as the command line spells it.</summary>
    public string Key => Name.ToLowerInvariant();

    public string TrainFileName => $"{Name}-train.csv";

    public string TestFileName => $"{Name}-test.csv";

    /// <summary>Case-insensitive; throws naming the unknown value and the known ones.</summary>
    public static M4Frequency Parse(string text) => TryParse(text, out var frequency)
        ? frequency
        : throw new ArgumentException(UnknownMessage(text), nameof(text));

    public static bool TryParse(string? text, out M4Frequency frequency)
    {
        frequency = All.FirstOrDefault(f => string.Equals(f.Key, text?.Trim(), StringComparison.OrdinalIgnoreCase))!;
        return frequency is not null;
    }

    public static string UnknownMessage(string? text) =>
        $"unknown frequency '{text}'; known: {string.Join(", ", All.Select(f => f.Key))}.";

    /// <summary>The frequency a file is named after (<c>Daily-train.csv</c> is daily), if any.</summary>
    public static M4Frequency? FromFileName(string path)
    {
        var name = Path.GetFileName(path);
        return All.FirstOrDefault(f => name.StartsWith(f.Name + "-", StringComparison.OrdinalIgnoreCase));
    }
}
