using IntentVision.TestSupport.Faults;

namespace IntentVision.FaultHarness;

/// <summary>Issue #12's goals, as the harness judges a report.</summary>
internal static class Goals
{
    public static readonly TimeSpan FailureAnswer = TimeSpan.FromSeconds(5);
    public static readonly TimeSpan Recovery = TimeSpan.FromSeconds(10);
    public static readonly TimeSpan Health = TimeSpan.FromSeconds(10);

    public static bool Met(FaultReport r) =>
        r.LostPoints == 0
        && r.DuplicatedPoints == 0
        && r.Status500 == 0
        && r.WrongStatus == 0
        && r.MissingRetryAfter == 0
        && r.BadBodies == 0
        && (r.SlowestFailure is null || r.SlowestFailure <= FailureAnswer)
        && (r.WritesRecoveredAfter is null || r.WritesRecoveredAfter <= Recovery)
        && (r.Failures == 0 || r.HealthRedAfter is { } red && red <= Health)
        && (r.HealthGreenAfter is null || r.HealthGreenAfter <= Health);
}
