using IntentVision.Dashboard.Services;

namespace IntentVision.Dashboard.Components.Layout;

/// <summary>
/// A form's messages by field, keyed like the API's problem details (<c>name</c>, <c>condition.threshold</c>), so
/// the browser's own checks and the server's answer land next to the same field. What no field of the form claims
/// goes to <see cref="Summary"/>, so nothing the API said is lost.
/// </summary>
public sealed record FieldErrors(IReadOnlyDictionary<string, string[]> Errors, string? Summary)
{
    public static readonly FieldErrors None = new(new Dictionary<string, string[]>(), null);

    public bool Any => Errors.Count > 0 || Summary is not null;

    public IReadOnlyList<string> For(string field) => Errors.TryGetValue(field, out var messages) ? messages : [];

    public static FieldErrors From(ApiProblemDto? problem, IReadOnlyCollection<string>? fields = null)
    {
        if (problem is null)
        {
            return None;
        }

        var errors = problem.Errors ?? [];
        var claimed = errors.Where(e => fields is null || fields.Contains(e.Key)).ToDictionary(e => e.Key, e => e.Value.Select(Sentence).ToArray());
        var unclaimed = errors.Where(e => !claimed.ContainsKey(e.Key)).Select(e => $"{e.Key} {string.Join("; ", e.Value)}").ToList();
        string? summary = null;
        if (claimed.Count == 0 || unclaimed.Count > 0)
        {
            var parts = new[] { problem.Title, problem.Detail }.Concat(unclaimed).Where(p => !string.IsNullOrWhiteSpace(p));
            summary = string.Join(" ", parts);
        }

        return new FieldErrors(claimed, summary);
    }

    // The API's messages continue the field's name ("is required"); next to a labelled field they read as sentences.
    private static string Sentence(string message) =>
        message.Length == 0 ? message : char.ToUpperInvariant(message[0]) + message[1..] + (message.EndsWith('.') ? string.Empty : ".");
}
