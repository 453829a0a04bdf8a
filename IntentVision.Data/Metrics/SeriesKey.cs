namespace IntentVision.Data.Metrics;

/// <summary>
/// What names a series: its organization, its metric key, and its dimensions as canonical JSON (keys in ordinal order,
/// see <see cref="CanonicalDimensions"/>). Two keys are the same series exactly when they are equal, so
/// <c>{"b":"1","a":"2"}</c> and <c>{"a":"2","b":"1"}</c> are one series, never two.
/// </summary>
public sealed record SeriesKey(string OrganizationId, string MetricKey, string Dimensions)
{
    public static SeriesKey Of(string organizationId, string metricKey, IReadOnlyDictionary<string, string>? dimensions) =>
        new(organizationId, metricKey, CanonicalDimensions.Serialize(dimensions));
}
