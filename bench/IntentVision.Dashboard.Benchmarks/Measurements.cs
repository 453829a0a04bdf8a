namespace IntentVision.Dashboard.Benchmarks;

/// <summary>A list of measurements of one thing and its median (the machine is shared: one number says little).</summary>
internal sealed class Measurements(string name, string unit)
{
    private readonly List<double> _values = [];

    public string Name { get; } = name;

    public void Add(double value) => _values.Add(value);

    public double Median
    {
        get
        {
            var sorted = _values.Order().ToList();
            return sorted.Count == 0 ? double.NaN : sorted.Count % 2 == 1 ? sorted[sorted.Count / 2] : (sorted[sorted.Count / 2 - 1] + sorted[sorted.Count / 2]) / 2;
        }
    }

    public double Max => _values.Count == 0 ? double.NaN : _values.Max();

    public override string ToString() =>
        $"{Name}: median {Median:N0} {unit} of {_values.Count} [{string.Join(", ", _values.Select(v => v.ToString("N0", System.Globalization.CultureInfo.InvariantCulture)))}]";
}
