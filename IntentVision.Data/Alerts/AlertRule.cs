namespace IntentVision.Data.Alerts;

/// <summary>
/// An alert rule as stored: its <see cref="Definition"/> (what a create or replace writes) with the identity and times
/// the database gives it. <c>Config</c>, <c>Channels</c>, <c>Suppression</c> and <c>Notification</c> are JSON whose
/// shape the API owns and validates; the repository keeps them as text.
/// </summary>
public sealed record AlertRule(long Id, string OrganizationId, AlertRuleDefinition Definition, DateTimeOffset CreatedAt, DateTimeOffset UpdatedAt)
{
    public string Name => Definition.Name;

    public string Kind => Definition.Kind;

    public string MetricKey => Definition.MetricKey;

    public IReadOnlyDictionary<string, string> DimensionFilter => Definition.DimensionFilter;

    public string Config => Definition.Config;

    public string Channels => Definition.Channels;

    public string Suppression => Definition.Suppression;

    public bool Enabled => Definition.Enabled;

    public IReadOnlyDictionary<string, string>? Labels => Definition.Labels;

    public string? RunbookUrl => Definition.RunbookUrl;

    /// <inheritdoc cref="AlertRuleDefinition.NoDataState"/>
    public string NoDataState => Definition.NoDataState;

    /// <inheritdoc cref="AlertRuleDefinition.NoDataAfterSeconds"/>
    public double? NoDataAfterSeconds => Definition.NoDataAfterSeconds;

    public string Notification => Definition.Notification;
}
