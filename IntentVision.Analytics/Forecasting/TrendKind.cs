namespace IntentVision.Analytics.Forecasting;

public enum TrendKind
{
    None,
    Additive,
    DampedAdditive,
}
