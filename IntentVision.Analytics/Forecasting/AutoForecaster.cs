using System.Globalization;
using System.Text;

namespace IntentVision.Analytics.Forecasting;

/// <summary>
/// "auto": every candidate of <see cref="AutoCandidates"/> is backtested from several origins on the series' own
/// tail (<see cref="RollingOrigins"/>: more of them where the horizon is short); <see cref="ForecastCombination"/>
/// keeps the best by validation OWA and its near-ties, weighted by that score; the members are refitted on the whole
/// history; the combination's own backtest errors size its intervals. A history too short for one backtest gets the
/// mean of Theta, damped trend and SES.
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

        // The validation MASE is scaled by the seasonal naive at the primary season, as M4 scales it.
        var validated = candidates.Select(c => ValidatedCandidate.Validate(c, plan, y, primary, domain)).ToList();
        var members = ForecastCombination.Choose(validated, validated.Single(v => v.Forecaster.Name == AutoCandidates.Benchmark));
        var forecast = ForecastCombination.WeightedMean(members, m => domain.Clip(m.Candidate.Forecaster.Forecast(y, horizon).Values));

        // The combination's error from each origin is the weighted mean of its members' errors there.
        var errors = new List<double[]>();
        for (var k = 0; k < plan.Count; k++)
        {
            errors.Add(ForecastCombination.WeightedMean(members, m => m.Candidate.Errors[k]));
        }

        info.Append(CultureInfo.InvariantCulture, $"auto: {validated.Count} candidates backtested from {plan.Count} origin(s) over {plan.Length} steps; by validation OWA (sMAPE and MASE relative to {AutoCandidates.Benchmark}'s), the {members.Count} within {ForecastCombination.Tolerance:P0} of the best (at most {ForecastCombination.MaxMembers}) weighted by its inverse square: {ForecastCombination.DescribeWeights(members)}; ");
        return new ForecastOutcome(ForecastCombination.Describe(members), forecast, PredictionIntervals.FromBacktests(errors, horizon));
    }

    /// <summary>
    /// A backtest fits on at least two cycles of the primary season, and never on fewer than 6 points. A history of
    /// fewer than three cycles (a day of minute data) cannot show the season, so it is backtested as non-seasonal.
    /// </summary>
    public static int MinimumFit(int primary, int historyLength) => historyLength >= 3 * primary ? Math.Max(2 * primary, 6) : 6;
}
