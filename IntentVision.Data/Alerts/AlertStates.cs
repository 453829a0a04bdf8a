namespace IntentVision.Data.Alerts;

/// <summary>The states of an alert, as stored.</summary>
public static class AlertStates
{
    public const string Pending = "pending";
    public const string Firing = "firing";
    public const string Acknowledged = "acknowledged";
    public const string NoData = "no_data";
    public const string Resolved = "resolved";

    public static readonly IReadOnlyList<string> All = [Pending, Firing, Acknowledged, NoData, Resolved];

    public static readonly IReadOnlyList<string> Open = [Pending, Firing, Acknowledged, NoData];

    /// <summary>States whose alert has been announced, so that its resolution is announced too.</summary>
    public static readonly IReadOnlyList<string> Announced = [Firing, Acknowledged, NoData];
}
