using Microsoft.AspNetCore.Http.HttpResults;

namespace IntentVision.Api.Ingestion;

/// <summary>Collects field errors (by JSON path, e.g. <c>points[3].timestamp</c>) for one RFC 7807 validation problem.</summary>
public sealed class ValidationErrors
{
    private readonly Dictionary<string, List<string>> _errors = new(StringComparer.Ordinal);

    public bool Any => _errors.Count > 0;

    public int Count => _errors.Count;

    public IReadOnlyCollection<string> Fields => _errors.Keys;

    public IReadOnlyDictionary<string, string[]> ToDictionary() => _errors.ToDictionary(e => e.Key, e => e.Value.ToArray());

    public bool HasPrefix(string prefix) => _errors.Keys.Any(k => k.StartsWith(prefix, StringComparison.Ordinal));

    public void Add(string field, string message)
    {
        if (!_errors.TryGetValue(field, out var list))
        {
            _errors[field] = list = [];
        }

        list.Add(message);
    }

    public ValidationProblem ToProblem(string title = "The request is not valid.") =>
        TypedResults.ValidationProblem(_errors.ToDictionary(e => e.Key, e => e.Value.ToArray()), title: title);
}
