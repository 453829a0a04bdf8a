using IntentVision.Analytics.Numerics;
using IntentVision.Analytics.Seasonality;

namespace IntentVision.Analytics.Forecasting;

/// <summary>
/// The exponential-smoothing family in Holt-Winters error-correction form. Smoothing parameters and the
/// initial level and slope are fitted by minimising the one-step sum of squared errors with Nelder–Mead;
/// initial seasonal states come from a classical decomposition, which keeps the search low-dimensional
/// even for a 168-hour season.
/// </summary>
public static class ExponentialSmoothing
{
    public static ExponentialSmoothingFit Fit(ReadOnlySpan<double> values, TrendKind trend, SeasonKind season, int period = 1)
    {
        var n = values.Length;
        if (n < 2)
        {
            throw new ArgumentException("exponential smoothing needs at least 2 points.", nameof(values));
        }

        if (season != SeasonKind.None && (period < 2 || n < 2 * period))
        {
            throw new ArgumentException($"a seasonal model with period {period} needs at least {2 * period} points, got {n}.", nameof(values));
        }

        // Work in units of the series' typical magnitude so the optimiser's step sizes mean the same everywhere.
        var scale = 0.0;
        foreach (var v in values)
        {
            scale += Math.Abs(v);
        }

        scale = scale > 0 ? scale / n : 1;
        var y = new double[n];
        for (var i = 0; i < n; i++)
        {
            y[i] = values[i] / scale;
        }

        if (season == SeasonKind.Multiplicative && y.Any(v => v <= 0))
        {
            season = SeasonKind.Additive;
        }

        var m = season == SeasonKind.None ? 1 : period;
        var initialSeason = new double[m];
        if (season != SeasonKind.None)
        {
            initialSeason = ClassicalDecomposition.SeasonalIndices(y, period, season == SeasonKind.Multiplicative);
        }
        else
        {
            initialSeason[0] = 0;
        }

        var (level0, slope0) = InitialLevelAndSlope(y, season, initialSeason, m);
        var hasTrend = trend != TrendKind.None;
        var hasSeason = season != SeasonKind.None;
        var damped = trend == TrendKind.DampedAdditive;

        // Layout: alpha, [beta], [gamma], [phi], level0, [slope0].
        var start = new List<double> { NelderMead.Logit(0.3) };
        if (hasTrend)
        {
            start.Add(NelderMead.Logit(0.05));
        }

        if (hasSeason)
        {
            start.Add(NelderMead.Logit(0.1));
        }

        if (damped)
        {
            start.Add(NelderMead.Logit(0.5));
        }

        start.Add(level0);
        if (hasTrend)
        {
            start.Add(slope0);
        }

        var seasonBuffer = new double[m];
        double Objective(double[] u)
        {
            var p = Decode(u, hasTrend, hasSeason, damped);
            Array.Copy(initialSeason, seasonBuffer, m);
            return Run(y, trend, season, m, p, seasonBuffer, out _, out _);
        }

        var best = NelderMead.Minimise(Objective, [.. start], 0.5, 120 * start.Count + 200, 1e-10);
        var parameters = Decode(best, hasTrend, hasSeason, damped);
        var finalSeason = (double[])initialSeason.Clone();
        var sse = Run(y, trend, season, m, parameters, finalSeason, out var level, out var slope);
        var count = 2 + (hasTrend ? 2 : 0) + (hasSeason ? m : 0) + (damped ? 1 : 0);
        return new ExponentialSmoothingFit(
            trend,
            season,
            m,
            parameters.Alpha,
            parameters.Beta,
            parameters.Gamma,
            parameters.Phi,
            level,
            slope,
            finalSeason,
            n % m,
            scale,
            sse * scale * scale,
            n,
            count);
    }

    private static (double Level, double Slope) InitialLevelAndSlope(double[] y, SeasonKind season, double[] seasonal, int m)
    {
        var window = season == SeasonKind.None ? Math.Min(y.Length, 10) : m;
        double Adjusted(int t) => season switch
        {
            SeasonKind.Additive => y[t] - seasonal[t % m],
            SeasonKind.Multiplicative => y[t] / seasonal[t % m],
            _ => y[t],
        };

        var first = 0.0;
        for (var t = 0; t < window; t++)
        {
            first += Adjusted(t);
        }

        first /= window;
        var slope = 0.0;
        if (y.Length >= 2 * window)
        {
            var second = 0.0;
            for (var t = window; t < 2 * window; t++)
            {
                second += Adjusted(t);
            }

            slope = ((second / window) - first) / window;
        }
        else if (y.Length >= 2)
        {
            slope = (Adjusted(y.Length - 1) - Adjusted(0)) / (y.Length - 1);
        }

        // The level is placed half a window back so the first one-step prediction is not biased by the slope.
        return (first - (slope * (window - 1) / 2.0), slope);
    }

    private static Parameters Decode(double[] u, bool hasTrend, bool hasSeason, bool damped)
    {
        var i = 0;
        var alpha = 1e-4 + ((1 - 2e-4) * NelderMead.Logistic(u[i++]));
        var beta = hasTrend ? 1e-4 + ((1 - 2e-4) * NelderMead.Logistic(u[i++])) : 0;
        var gamma = hasSeason ? (1 - alpha) * NelderMead.Logistic(u[i++]) : 0;

        // Damping below 0.8 flattens the trend within a couple of steps, above 0.98 it is barely damped.
        var phi = damped ? 0.8 + (0.18 * NelderMead.Logistic(u[i++])) : 1;
        var level0 = u[i++];
        var slope0 = hasTrend ? u[i] : 0;
        return new Parameters(alpha, beta, gamma, phi, level0, slope0);
    }

    private static double Run(double[] y, TrendKind trend, SeasonKind season, int m, Parameters p, double[] s, out double level, out double slope)
    {
        var l = p.Level0;
        var b = p.Slope0;
        var sse = 0.0;
        var phi = trend == TrendKind.DampedAdditive ? p.Phi : 1;
        for (var t = 0; t < y.Length; t++)
        {
            var phase = t % m;
            var trendPart = trend == TrendKind.None ? 0 : phi * b;
            var baseLevel = l + trendPart;
            double prediction;
            double newLevel;
            switch (season)
            {
                case SeasonKind.Additive:
                    prediction = baseLevel + s[phase];
                    newLevel = (p.Alpha * (y[t] - s[phase])) + ((1 - p.Alpha) * baseLevel);
                    s[phase] = (p.Gamma * (y[t] - baseLevel)) + ((1 - p.Gamma) * s[phase]);
                    break;
                case SeasonKind.Multiplicative:
                    prediction = baseLevel * s[phase];
                    var index = Math.Abs(s[phase]) < 1e-8 ? 1e-8 : s[phase];
                    newLevel = (p.Alpha * (y[t] / index)) + ((1 - p.Alpha) * baseLevel);
                    if (Math.Abs(baseLevel) > 1e-8)
                    {
                        s[phase] = (p.Gamma * (y[t] / baseLevel)) + ((1 - p.Gamma) * s[phase]);
                    }

                    break;
                default:
                    prediction = baseLevel;
                    newLevel = (p.Alpha * y[t]) + ((1 - p.Alpha) * baseLevel);
                    break;
            }

            var e = y[t] - prediction;
            sse += e * e;
            if (trend != TrendKind.None)
            {
                b = (p.Beta * (newLevel - l)) + ((1 - p.Beta) * trendPart);
            }

            l = newLevel;
        }

        level = l;
        slope = b;
        return sse;
    }

    private readonly record struct Parameters(double Alpha, double Beta, double Gamma, double Phi, double Level0, double Slope0);
}
