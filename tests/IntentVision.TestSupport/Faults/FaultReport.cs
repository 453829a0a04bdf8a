using System.Globalization;
using System.Text;

namespace IntentVision.TestSupport.Faults;

/// <summary>
/// What one fault scenario showed, the numbers the goals are judged by: acknowledged points lost or applied twice,
/// answers with status 500 (or another wrong status, a 503/507 without Retry-After, a failure whose body is not problem
/// details naming the cause or shows exception text), the slowest failure, how long
/// writes took to recover after the fault cleared, and how long <c>/health</c> took to turn red and green again.
/// </summary>
public sealed record FaultReport(
    string Scenario,
    string Backend,
    int Requests,
    int Acknowledged,
    int Failures,
    int LostPoints,
    int DuplicatedPoints,
    int Status500,
    int WrongStatus,
    int MissingRetryAfter,
    int BadBodies,
    TimeSpan? SlowestFailure,
    TimeSpan? SlowestAnswer,
    TimeSpan? WritesRecoveredAfter,
    TimeSpan? HealthRedAfter,
    TimeSpan? HealthGreenAfter,
    string Notes)
{
    public const string TableHeader =
        "| scenario | backend | requests | acked | failures | lost | duplicated | 500s | other wrong | no Retry-After | bad bodies | slowest failure | slowest answer | writes recovered | /health red | /health green |\n" +
        "| --- | --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |";

    public string ToTableRow() => string.Join(
        " | ",
        "| " + Scenario,
        Backend,
        Requests.ToString(CultureInfo.InvariantCulture),
        Acknowledged.ToString(CultureInfo.InvariantCulture),
        Failures.ToString(CultureInfo.InvariantCulture),
        LostPoints.ToString(CultureInfo.InvariantCulture),
        DuplicatedPoints.ToString(CultureInfo.InvariantCulture),
        Status500.ToString(CultureInfo.InvariantCulture),
        WrongStatus.ToString(CultureInfo.InvariantCulture),
        MissingRetryAfter.ToString(CultureInfo.InvariantCulture),
        BadBodies.ToString(CultureInfo.InvariantCulture),
        Seconds(SlowestFailure),
        Seconds(SlowestAnswer),
        Seconds(WritesRecoveredAfter),
        Seconds(HealthRedAfter),
        Seconds(HealthGreenAfter) + " |");

    public override string ToString()
    {
        var text = new StringBuilder();
        text.Append(CultureInfo.InvariantCulture, $"{Scenario} on {Backend}: {Requests} requests, {Acknowledged} batches acknowledged, {Failures} failures; ");
        text.Append(CultureInfo.InvariantCulture, $"lost {LostPoints}, duplicated {DuplicatedPoints}, 500s {Status500}, other wrong {WrongStatus}, no Retry-After {MissingRetryAfter}, bad bodies {BadBodies}; ");
        text.Append(CultureInfo.InvariantCulture, $"slowest failure {Seconds(SlowestFailure)}, slowest answer {Seconds(SlowestAnswer)}, writes recovered {Seconds(WritesRecoveredAfter)}, ");
        text.Append(CultureInfo.InvariantCulture, $"/health red {Seconds(HealthRedAfter)}, green {Seconds(HealthGreenAfter)}");
        if (Notes.Length > 0)
        {
            text.Append("; ").Append(Notes);
        }

        return text.ToString();
    }

    private static string Seconds(TimeSpan? value) => value is { } v ? v.TotalSeconds.ToString("0.00", CultureInfo.InvariantCulture) + " s" : "-";
}
