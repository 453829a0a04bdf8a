namespace IntentVision.Analytics.Forecasting;

public enum SeasonKind
{
    None,
    Additive,
    Multiplicative,
}
