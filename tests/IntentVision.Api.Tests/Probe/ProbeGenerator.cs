using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace IntentVision.Api.Tests.Probe;

/// <summary>
/// Turns the OpenAPI document into hostile requests: every operation, every path, query and body field, each with
/// values that are out of range, of the wrong type or malformed, sent in both route forms by an organization key
/// and by the platform admin key.
/// </summary>
internal sealed class ProbeGenerator(JsonElement document, ProbeTargets targets)
{
    private const string OrganizationForm = "/api/organizations/{organizationId}/";
    private const string OrganizationHeader = "X-IntentVision-Organization";

    /// <summary>Values every body field gets; the rest of <see cref="HostileValues.Json"/> rotates over the fields.</summary>
    private static readonly string[] EveryField = ["1e30", "1e308", "-1", "null", $"\"{new string('x', 5000)}\""];

    private int _sequence;

    public IEnumerable<ProbeRequest> Generate()
    {
        foreach (var (template, method, operation) in Operations())
        {
            var tenant = Parameters(operation).Any(p => p.In == "header" && p.Name == OrganizationHeader);
            foreach (var probe in PathProbes(template, method, operation)
                         .Concat(QueryProbes(template, method, operation))
                         .Concat(BodyProbes(template, method, operation)))
            {
                yield return tenant ? InSomeForm(probe) : probe;
            }

            if (tenant)
            {
                foreach (var organization in HostileValues.Organization.Take(3).Append(targets.OtherOrganizationId))
                {
                    var path = Fill(template, _ => null);
                    yield return Request(method, operation, path, "platform admin names a hostile organization") with { AsPlatformAdmin = true, NamedOrganization = organization };
                    yield return Request(method, operation, "/api/organizations/" + Segment(organization) + path[4..], "hostile organization in the path");
                }
            }
        }
    }

    private IEnumerable<(string Template, string Method, JsonElement Operation)> Operations()
    {
        foreach (var path in document.GetProperty("paths").EnumerateObject())
        {
            // The organization form is the same endpoint under another prefix: every probe below is sent in both.
            if (path.Name.StartsWith(OrganizationForm, StringComparison.Ordinal))
            {
                continue;
            }

            foreach (var operation in path.Value.EnumerateObject())
            {
                yield return (path.Name, operation.Name.ToUpperInvariant(), operation.Value);
            }
        }
    }

    private IEnumerable<ProbeRequest> PathProbes(string template, string method, JsonElement operation)
    {
        foreach (var parameter in Parameters(operation).Where(p => p.In == "path"))
        {
            foreach (var value in HostileValues.Id.Prepend(targets.Ids.GetValueOrDefault(parameter.Name, "1")))
            {
                yield return Request(method, operation, Fill(template, name => name == parameter.Name ? value : null), $"path {parameter.Name}={Shorten(value)}");
            }
        }
    }

    private IEnumerable<ProbeRequest> QueryProbes(string template, string method, JsonElement operation)
    {
        var path = Fill(template, _ => null);
        var query = Parameters(operation).Where(p => p.In == "query").ToList();
        foreach (var parameter in query)
        {
            foreach (var value in ValuesFor(parameter))
            {
                yield return Request(method, operation, $"{path}?{parameter.Name}={Uri.EscapeDataString(value)}", $"query {parameter.Name}={Shorten(value)}");
            }
        }

        // Buckets and downsampling over the series of values near ±1.8e308 and over extreme ranges.
        if (query.Any(p => p.Name == "step") && query.Any(p => p.Name == "agg"))
        {
            var huge = Fill(template, name => name == "seriesId" ? targets.Ids["hugeSeriesId"] : null);
            foreach (var step in new[] { "1s", "1m", "1h", "1d", "1w", "3660d" })
            {
                foreach (var agg in new[] { "sum", "avg", "min", "max", "count", "last" })
                {
                    yield return Request(method, operation, $"{huge}?step={step}&agg={agg}", $"huge series step={step} agg={agg}");
                }
            }

            foreach (var (from, to) in new[] { ("0001-01-01T00:00:00Z", "9999-12-31T23:59:59Z"), ("1970-01-01T00:00:00Z", "1970-01-01T00:00:00.001Z") })
            {
                var range = $"from={Uri.EscapeDataString(from)}&to={Uri.EscapeDataString(to)}";
                yield return Request(method, operation, $"{huge}?{range}&maxPoints=2", "extreme range, maxPoints=2");
                yield return Request(method, operation, $"{huge}?{range}&maxPoints=200000", "extreme range, maxPoints=200000");
                yield return Request(method, operation, $"{huge}?{range}&step=1s&agg=sum", "extreme range, step=1s");
                yield return Request(method, operation, $"{huge}?{range}&limit=200000", "extreme range, raw");
            }
        }
    }

    private IEnumerable<ProbeRequest> BodyProbes(string template, string method, JsonElement operation)
    {
        if (!operation.TryGetProperty("requestBody", out var requestBody))
        {
            yield break;
        }

        var path = Fill(template, _ => null);
        var contentType = requestBody.GetProperty("content").EnumerateObject().First().Name;
        if (contentType == "text/csv")
        {
            foreach (var (csv, what) in CsvBodies())
            {
                yield return Request(method, operation, path, what) with { Body = csv, ContentType = "text/csv" };
            }

            yield break;
        }

        var name = operation.GetProperty("operationId").GetString()!;
        var valid = targets.JsonBodies.GetValueOrDefault(name, "{}");
        foreach (var (body, what) in Structural(valid))
        {
            yield return Request(method, operation, path, what) with { Body = body.Body, ContentType = body.ContentType };
        }

        var schema = requestBody.GetProperty("content").GetProperty("application/json").GetProperty("schema");
        foreach (var (body, what) in Mutations(JsonNode.Parse(valid)!, schema))
        {
            yield return Request(method, operation, path, what) with { Body = body, ContentType = "application/json" };
        }
    }

    private static IEnumerable<((string? Body, string? ContentType) Body, string What)> Structural(string valid)
    {
        yield return ((valid, "application/json"), "the valid body");
        yield return ((string.Empty, "application/json"), "empty body");
        yield return ((null, null), "no body");
        yield return (("null", "application/json"), "null");
        yield return (("[]", "application/json"), "an array");
        yield return (("\"text\"", "application/json"), "a string");
        yield return (("{", "application/json"), "truncated");
        yield return ((valid[..(valid.Length / 2)], "application/json"), "cut in half");
        yield return ((new string('[', 300) + new string(']', 300), "application/json"), "nested 300 deep");
        yield return ((string.Concat(Enumerable.Repeat("{\"a\":", 100)) + "1" + new string('}', 100), "application/json"), "objects nested 100 deep");
        yield return (("\uFEFF" + valid, "application/json"), "with a byte order mark");
        yield return ((valid, "text/plain"), "as text/plain");
        yield return ((valid, "application/json; charset=utf-16"), "claiming utf-16");
        yield return ((valid.Replace("{", "{\"__proto__\":{},", StringComparison.Ordinal), "application/json"), "extra properties");
        yield return ((valid.Replace(":", ": ", StringComparison.Ordinal).Replace(",", ",,", StringComparison.Ordinal), "application/json"), "double commas");
    }

    private IEnumerable<(string Body, string What)> Mutations(JsonNode valid, JsonElement schema)
    {
        var leaf = 0;
        foreach (var (path, _) in Leaves(valid, []))
        {
            var rotating = Enumerable.Range(0, 5).Select(j => HostileValues.Json[((leaf * 5) + j) % HostileValues.Json.Length]);
            foreach (var token in EveryField.Concat(rotating).Distinct())
            {
                yield return (Replace(valid, path, token), $"{string.Join('.', path)}={Shorten(token)}");
            }

            leaf++;
        }

        // Fields the valid body leaves out (other kinds' settings, optional ones) get hostile values too.
        foreach (var (path, name) in MissingFields(valid, schema, []))
        {
            foreach (var token in new[] { "1e30", "-1e308", "-1", "\"x\"", "5e-324", "1e400" })
            {
                yield return (Replace(valid, [.. path, name], token), $"{string.Join('.', path.Append(name))}={token}");
            }
        }
    }

    private static IEnumerable<(object[] Path, JsonNode? Node)> Leaves(JsonNode? node, object[] path)
    {
        switch (node)
        {
            case JsonObject obj:
                foreach (var (key, child) in obj)
                {
                    foreach (var leaf in Leaves(child, [.. path, key]))
                    {
                        yield return leaf;
                    }
                }

                break;
            case JsonArray array:
                for (var i = 0; i < array.Count; i++)
                {
                    foreach (var leaf in Leaves(array[i], [.. path, i]))
                    {
                        yield return leaf;
                    }
                }

                break;
            default:
                yield return (path, node);
                break;
        }
    }

    private IEnumerable<(object[] Path, string Name)> MissingFields(JsonNode? node, JsonElement schema, object[] path)
    {
        var resolved = Resolve(schema);
        if (node is JsonObject obj && resolved.TryGetProperty("properties", out var properties))
        {
            foreach (var property in properties.EnumerateObject())
            {
                if (obj.ContainsKey(property.Name))
                {
                    foreach (var missing in MissingFields(obj[property.Name], property.Value, [.. path, property.Name]))
                    {
                        yield return missing;
                    }
                }
                else
                {
                    yield return (path, property.Name);
                }
            }
        }
        else if (node is JsonArray { Count: > 0 } array && resolved.TryGetProperty("items", out var items))
        {
            foreach (var missing in MissingFields(array[0], items, [.. path, 0]))
            {
                yield return missing;
            }
        }
    }

    private JsonElement Resolve(JsonElement schema)
    {
        if (schema.TryGetProperty("$ref", out var reference))
        {
            return document.GetProperty("components").GetProperty("schemas").GetProperty(reference.GetString()!.Split('/')[^1]);
        }

        if (schema.TryGetProperty("oneOf", out var oneOf))
        {
            return oneOf.EnumerateArray().Select(Resolve).FirstOrDefault(s => s.TryGetProperty("properties", out _), schema);
        }

        return schema;
    }

    /// <summary>The valid body with the field at <paramref name="path"/> replaced by the raw JSON text <paramref name="token"/>.</summary>
    private static string Replace(JsonNode valid, object[] path, string token)
    {
        const string Placeholder = "\"__probe_field__\"";
        var copy = JsonNode.Parse(valid.ToJsonString())!;
        var parent = copy;
        foreach (var step in path[..^1])
        {
            parent = step is int index ? parent![index]! : parent![(string)step]!;
        }

        var marker = JsonValue.Create("__probe_field__");
        if (path[^1] is int at)
        {
            parent!.AsArray()[at] = marker;
        }
        else
        {
            parent!.AsObject()[(string)path[^1]] = marker;
        }

        // Spliced in as text, so that tokens a JSON writer would refuse (lone surrogates, 1e400) reach the server as sent.
        return copy.ToJsonString().Replace(Placeholder, token, StringComparison.Ordinal);
    }

    private IEnumerable<(string Csv, string What)> CsvBodies()
    {
        var t = JsonDocument.Parse(targets.JsonBodies["IngestPoints"]).RootElement.GetProperty("points")[0].GetProperty("timestamp").GetString();
        yield return (targets.CsvBody, "the valid CSV");
        yield return (string.Empty, "empty CSV");
        yield return ("\uFEFF" + targets.CsvBody, "with a byte order mark");
        yield return ($"timestamp,metric,value\n{t},cpu,1e308\n{t},cpu,-1e308\n{t},cpu,1e400\n{t},cpu,NaN\n", "extreme values");
        yield return ("timestamp,metric,value\n2026-01-01T00:00:00,cpu,1\n99999999999999999999,cpu,1\n-62135596801,cpu,1\n", "timestamps out of range or without offset");
        yield return ($"timestamp,metric,value,host\n{t},cpu,1,\"unterminated\n", "an unterminated quote");
        yield return ($"timestamp,metric,value,{string.Join(',', Enumerable.Range(0, 40).Select(i => $"d{i}"))}\n{t},cpu,1,{string.Join(',', Enumerable.Repeat("x", 40))}\n", "40 dimensions");
        yield return ($"timestamp,metric,value,host\n{t},cpu,1,{new string('x', 5000)}\n", "a 5000-character cell");
        yield return ("timestamp,metric,value,timestamp\n1,2,3,4\n", "a duplicate column");
        yield return ("\n\n\n,,,\n", "only separators");
        yield return ($"timestamp;metric;value\n{t};cpu;1\n", "semicolons");
        yield return ($"timestamp,metric,value\n{t},{HostileValues.KeyShaped},1\n", "a key-shaped metric");
    }

    private static IEnumerable<string> ValuesFor(Parameter parameter) => parameter.Name switch
    {
        "step" => HostileValues.Step,
        "agg" => HostileValues.Aggregate,
        _ => parameter.Format switch
        {
            "date-time" => HostileValues.Time,
            "int32" or "int64" => HostileValues.Integer,
            _ => parameter.Type == "boolean" ? HostileValues.Boolean : HostileValues.Text,
        },
    };

    /// <summary>Sends the probe as it is (own form, organization key) or in one of the three other forms, in turn.</summary>
    private ProbeRequest InSomeForm(ProbeRequest probe) => (_sequence++ % 4) switch
    {
        1 => probe with { Path = $"/api/organizations/{targets.OrganizationId}{probe.Path[4..]}", Description = probe.Description + ", organization form" },
        2 => probe with { Path = $"/api/organizations/{targets.OrganizationId}{probe.Path[4..]}", AsPlatformAdmin = true, Description = probe.Description + ", organization form, platform admin" },
        3 => probe with { AsPlatformAdmin = true, NamedOrganization = targets.OrganizationId, Description = probe.Description + ", platform admin with the header" },
        _ => probe,
    };

    private ProbeRequest Request(string method, JsonElement operation, string path, string what)
    {
        var body = operation.TryGetProperty("requestBody", out _) ? targets.JsonBodies.GetValueOrDefault(operation.GetProperty("operationId").GetString()!) : null;
        return new ProbeRequest(method, path, body, body is null ? null : "application/json", what);
    }

    private string Fill(string template, Func<string, string?> value)
    {
        var path = new StringBuilder(template);
        foreach (var name in template.Split('{', '}').Where((_, i) => i % 2 == 1))
        {
            path.Replace("{" + name + "}", value(name) ?? targets.Ids.GetValueOrDefault(name, "1"));
        }

        return path.ToString().TrimEnd('/');
    }

    private static IEnumerable<Parameter> Parameters(JsonElement operation) =>
        operation.TryGetProperty("parameters", out var parameters)
            ? parameters.EnumerateArray().Select(p => new Parameter(
                p.GetProperty("name").GetString()!,
                p.GetProperty("in").GetString()!,
                p.TryGetProperty("schema", out var s) && s.TryGetProperty("type", out var type) ? (type.ValueKind == JsonValueKind.Array ? type[0].GetString() : type.GetString()) : null,
                p.TryGetProperty("schema", out var f) && f.TryGetProperty("format", out var format) ? format.GetString() : null))
            : [];

    private static string Segment(string organization) => organization.Contains('%', StringComparison.Ordinal) ? organization : Uri.EscapeDataString(organization);

    private static string Shorten(string text) => text.Length <= 30 ? text : text[..30] + "…";

    private sealed record Parameter(string Name, string In, string? Type, string? Format);
}
