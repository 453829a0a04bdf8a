namespace IntentVision.Analytics.Forecasting;

/// <summary>A fitted exponential-smoothing model: its parameters, final states and goodness of fit.</summary>
public sealed record ExponentialSmoothingFit(
    TrendKind Trend,
    SeasonKind Season,
    int Period,
    double Alpha,
    double Beta,
    double Gamma,
    double Phi,
    double Level,
    double Slope,
    double[] SeasonalStates,
    int StatesOffset,
    double Scale,
    double SumSquaredErrors,
    int Observations,
    int ParameterCount)
{
    /// <summary>Corrected Akaike information criterion of the Gaussian likelihood.</summary>
    public double Aicc
    {
        get
        {
            var n = Observations;
            var k = ParameterCount + 1;
            var sse = Math.Max(SumSquaredErrors, 1e-300);
            var aic = (n * Math.Log(sse / n)) + (2 * k);
            return n - k - 1 > 0 ? aic + ((2.0 * k * (k + 1)) / (n - k - 1)) : double.PositiveInfinity;
        }
    }

    public double[] Forecast(int horizon)
    {
        var result = new double[horizon];
        var trendSum = 0.0;
        var dampingPower = 1.0;
        for (var h = 1; h <= horizon; h++)
        {
            switch (Trend)
            {
                case TrendKind.Additive:
                    trendSum += Slope;
                    break;
                case TrendKind.DampedAdditive:
                    dampingPower *= Phi;
                    trendSum += dampingPower * Slope;
                    break;
            }

            var baseLevel = Level + trendSum;
            var value = Season switch
            {
                SeasonKind.Additive => baseLevel + SeasonalStates[(StatesOffset + h - 1) % Period],
                SeasonKind.Multiplicative => baseLevel * SeasonalStates[(StatesOffset + h - 1) % Period],
                _ => baseLevel,
            };
            result[h - 1] = value * Scale;
        }

        return result;
    }

    public string Describe()
    {
        var name = (Trend, Season) switch
        {
            (TrendKind.None, SeasonKind.None) => "SES",
            (TrendKind.Additive, SeasonKind.None) => "Holt",
            (TrendKind.DampedAdditive, SeasonKind.None) => "damped Holt",
            _ => $"Holt-Winters ({Trend} trend, {Season} season, period {Period})",
        };
        var parts = new List<string> { $"alpha={Alpha:0.###}" };
        if (Trend != TrendKind.None)
        {
            parts.Add($"beta={Beta:0.###}");
        }

        if (Trend == TrendKind.DampedAdditive)
        {
            parts.Add($"phi={Phi:0.###}");
        }

        if (Season != SeasonKind.None)
        {
            parts.Add($"gamma={Gamma:0.###}");
        }

        return $"{name} ({string.Join(", ", parts)}; AICc {Aicc:0.#})";
    }
}
