using IntentVision.Dashboard.Services;

namespace IntentVision.Dashboard.Components.Pages;

// The rule's labels, runbook link and no-data handling (edited by RuleExtrasEditor), kept through an edit so a
// save never drops what the form does not show elsewhere.
public sealed partial class AlertRuleForm
{
    public static readonly IReadOnlyList<string> NoDataStates = ["no_data", "alerting", "ok", "keep_last"];

    public static IReadOnlyList<string> ExtraFields => ["labels", "runbookUrl", "noData.state", "noData.afterSeconds"];

    /// <summary>key=value pairs separated by commas, e.g. <c>severity=page, team=payments</c>.</summary>
    public string Labels { get; set; } = string.Empty;

    public string RunbookUrl { get; set; } = string.Empty;

    public string NoDataState { get; set; } = "no_data";

    public string NoDataAfterSeconds { get; set; } = string.Empty;

    public AlertRuleForm WithExtrasOf(AlertRuleDto rule)
    {
        Labels = string.Join(", ", (rule.Labels ?? []).OrderBy(l => l.Key, StringComparer.Ordinal).Select(l => $"{l.Key}={l.Value}"));
        RunbookUrl = rule.RunbookUrl ?? string.Empty;
        NoDataState = rule.NoData?.State ?? "no_data";
        NoDataAfterSeconds = Text(rule.NoData?.AfterSeconds);
        return this;
    }

    private void ValidateExtras(Action<string, string> add)
    {
        if (ParseDimensions(Labels) is null)
        {
            add("labels", "Write key=value pairs separated by commas.");
        }

        if (RunbookUrl.Trim().Length > 0 && (!Uri.TryCreate(RunbookUrl.Trim(), UriKind.Absolute, out var url) || (url.Scheme != Uri.UriSchemeHttp && url.Scheme != Uri.UriSchemeHttps)))
        {
            add("runbookUrl", "Enter an absolute http(s) URL.");
        }

        if (!NoDataStates.Contains(NoDataState))
        {
            add("noData.state", "Choose what no data means.");
        }

        if (NoDataAfterSeconds.Trim().Length > 0 && (Number(NoDataAfterSeconds) is not { } after || after < 1 || after > 366 * 86_400))
        {
            add("noData.afterSeconds", "Enter 1 or more seconds (at most a year), or leave it empty for the default.");
        }
    }

    private AlertRuleRequest WithExtras(AlertRuleRequest request) => request with
    {
        Labels = ParseDimensions(Labels) ?? [],
        RunbookUrl = RunbookUrl.Trim().Length == 0 ? null : RunbookUrl.Trim(),
        NoData = new NoDataSettingsDto(NoDataState, Number(NoDataAfterSeconds)),
    };
}
