using System.Globalization;
using System.Text;

namespace IntentVision.Analytics.Forecasting;

/// <summary>
/// "auto": every candidate of <see cref="AutoCandidates"/> is backtested from up to four origins on the series' own
/// tail; <see cref="ForecastCombination"/> picks the best one or the mean of near-ties; the members are refitted on
/// the whole history; the combination's own backtest errors size its intervals. A history too short for one
/// backtest gets the mean of Theta, damped trend and SES.
/// </summary>
internal sealed class AutoForecaster(int origins)
{
    public ForecastOutcome Forecast(double[] y, int horizon, int primary, IReadOnlyList<int> seasons, int? cycle, ForecastDomain domain, StringBuilder info)
    {
        var candidates = AutoCandidates.For(y, primary, seasons, cycle);
        var plan = RollingOrigins.Plan(y.Length, horizon, MinimumFit(primary, y.Length), origins);
        if (plan.Count == 0)
        {
            var fallback = new MeanForecaster("mean(theta, damped, ses)", candidates.Where(c => c.Name is "theta" or "damped" or "ses").ToList());
            var values = domain.Clip(fallback.Forecast(y, horizon).Values);
            info.Append(CultureInfo.InvariantCulture, $"auto: {y.Length} points leave no room for a backtest, so {fallback.Name}; ");
            return new ForecastOutcome(fallback.Name, values, PredictionIntervals.RandomWalk(y, horizon));
        }

        var validated = candidates.Select(c => ValidatedCandidate.Validate(c, plan, y, domain)).ToList();
        var members = ForecastCombination.Choose(validated, plan.Count);
        var forecast = ForecastCombination.Mean(members.Select(m => domain.Clip(m.Forecaster.Forecast(y, horizon).Values)).ToList());

        // The combination's error from each origin is the mean of its members' errors there.
        var errors = new List<double[]>();
        for (var k = 0; k < plan.Count; k++)
        {
            errors.Add(ForecastCombination.Mean(members.Select(m => m.Errors[k]).ToList()));
        }

        var ranking = string.Join(", ", validated.OrderBy(v => v.MeanAbsoluteError).Select(v => string.Create(CultureInfo.InvariantCulture, $"{v.Forecaster.Name} {v.MeanAbsoluteError:G3}")));
        var rule = plan.Count < 2
            ? $"the mean of the best {ForecastCombination.MaxMembers} (one origin is too little to separate near-ties)"
            : $"the candidates within {ForecastCombination.Tolerance:P0} of the best error (at most {ForecastCombination.MaxMembers}), averaged";
        info.Append(CultureInfo.InvariantCulture, $"auto: {validated.Count} candidates backtested from {plan.Count} origin(s) over {plan.Length} steps (mean absolute error in units of the series maximum: {ranking}); chose {rule}: {ForecastCombination.Describe(members)}; ");
        return new ForecastOutcome(ForecastCombination.Describe(members), forecast, PredictionIntervals.FromBacktests(errors, horizon));
    }

    /// <summary>
    /// A backtest fits on at least two cycles of the primary season, and never on fewer than 6 points. A history of
    /// fewer than three cycles (a day of minute data) cannot show the season, so it is backtested as non-seasonal.
    /// </summary>
    public static int MinimumFit(int primary, int historyLength) => historyLength >= 3 * primary ? Math.Max(2 * primary, 6) : 6;
}
