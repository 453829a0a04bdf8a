namespace IntentVision.Analytics.Alerting;

public enum ComparisonOperator
{
    Above,
    AboveOrEqual,
    Below,
    BelowOrEqual,
}
