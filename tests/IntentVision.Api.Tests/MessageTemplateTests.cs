using System.Text.Json;
using IntentVision.Api.Alerting;

namespace IntentVision.Api.Tests;

public sealed class MessageTemplateTests
{
    private static readonly JsonElement Model = JsonDocument.Parse("""
        {"status":"firing","groupLabels":{"service":"api"},"alerts":[{"message":"a","labels":{"host":"1"}},{"message":"b","labels":{"host":"2"}}],"empty":[],"runbook":null}
        """).RootElement;

    [Theory]
    [InlineData("{{status}} for {{groupLabels.service}}", "firing for api")]
    [InlineData("{{#alerts}}[{{labels.host}}:{{message}} {{status}}]{{/alerts}}", "[1:a firing][2:b firing]")]
    [InlineData("{{alerts.1.message}}", "b")]
    [InlineData("{{^empty}}none{{/empty}}{{#runbook}}never{{/runbook}}", "none")]
    [InlineData("{{missing}}x", "x")]
    public void TemplatesRenderValuesAndSections(string template, string expected) =>
        Assert.Equal(expected, MessageTemplate.Render(template, Model));

    [Theory]
    [InlineData("{{#alerts}}open")]
    [InlineData("{{/alerts}}")]
    [InlineData("{{#a}}{{/b}}")]
    [InlineData("{{ status; rm -rf }}")]
    public void MalformedTemplatesAreNamed(string template) => Assert.NotNull(MessageTemplate.Problem(template));
}
