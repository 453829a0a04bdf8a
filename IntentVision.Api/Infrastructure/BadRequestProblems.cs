using System.Reflection;
using System.Text.Json;
using System.Text.RegularExpressions;
using Microsoft.AspNetCore.Mvc;

namespace IntentVision.Api.Infrastructure;

/// <summary>
/// Problem details for a request the framework could not read: malformed JSON, a value of the wrong type, a query
/// parameter that does not parse, a body too large. The answer names the field and the kind of value expected in
/// words, never the .NET type or the exception text the framework put in its message.
/// </summary>
internal static partial class BadRequestProblems
{
    public static ProblemDetails From(BadHttpRequestException bad)
    {
        if (bad.StatusCode == StatusCodes.Status413PayloadTooLarge)
        {
            return new ProblemDetails { Status = bad.StatusCode, Title = "The request body is too large.", Detail = bad.Message };
        }

        if (Find<JsonException>(bad) is { } json)
        {
            var path = json.Path ?? "$";
            var problem = new ProblemDetails { Status = bad.StatusCode, Title = "The request body could not be read.", Detail = $"Invalid JSON at {path}: {Describe(json)}" };
            problem.Extensions["field"] = path;
            return problem;
        }

        if (BindingFailure().Match(bad.Message) is { Success: true } binding)
        {
            var name = binding.Groups["name"].Value;
            var problem = new ProblemDetails
            {
                Status = bad.StatusCode,
                Title = "The request could not be read.",
                Detail = bad.Message.StartsWith("Required", StringComparison.Ordinal) || bad.Message.Contains("no body was provided", StringComparison.Ordinal)
                    ? $"'{name}' is required."
                    : $"'{name}' must be {Kind(binding.Groups["type"].Value)}.",
            };
            problem.Extensions["field"] = name;
            return problem;
        }

        return new ProblemDetails { Status = bad.StatusCode, Title = "The request could not be read.", Detail = Scrub(bad.Message) };
    }

    private static string Describe(JsonException json)
    {
        var message = json.Message;
        var cut = message.IndexOf(" Path:", StringComparison.Ordinal);
        if (cut < 0)
        {
            cut = message.IndexOf(" LineNumber:", StringComparison.Ordinal);
        }

        message = cut > 0 ? message[..cut] : message;
        return ConversionFailure().Match(message) is { Success: true } conversion
            ? $"expected {Kind(FieldType(conversion.Groups["type"].Value, json.Path))}."
            : Scrub(message);
    }

    /// <summary>
    /// The type the value at <paramref name="path"/> should have. The serializer names the type it was converting,
    /// which for a record bound through its constructor is the record, not the field: then the field's own type is
    /// looked up on the record by the last name in the path.
    /// </summary>
    private static string FieldType(string converting, string? path)
    {
        var field = path is null ? null : FieldName().Match(path) is { Success: true } last ? last.Groups["name"].Value : null;
        var owner = typeof(BadRequestProblems).Assembly.GetType(converting);
        var property = field is null ? null : owner?.GetProperty(field, BindingFlags.Public | BindingFlags.Instance | BindingFlags.IgnoreCase);
        return property is null ? converting : (Nullable.GetUnderlyingType(property.PropertyType) ?? property.PropertyType).FullName ?? converting;
    }

    /// <summary>The kind of value a .NET type name stands for, in words a client understands.</summary>
    private static string Kind(string type)
    {
        var bare = type.Replace("System.Nullable`1[", string.Empty, StringComparison.Ordinal).TrimEnd(']', '?').Replace("System.", string.Empty, StringComparison.Ordinal);
        return bare switch
        {
            "Int32" or "int" or "Int64" or "long" or "Int16" or "short" => "a whole number in range",
            "Double" or "double" or "Single" or "float" or "Decimal" or "decimal" => "a number",
            "Boolean" or "bool" => "true or false",
            "String" or "string" => "a string",
            "DateTimeOffset" or "DateTime" => "an ISO-8601 time with an offset (Z or +hh:mm)",
            "TimeSpan" => "a duration (hh:mm:ss)",
            "Guid" => "a GUID",
            _ when bare.Contains("Dictionary", StringComparison.Ordinal) => "an object of strings",
            _ when bare.Contains("List`1", StringComparison.Ordinal) || bare.Contains("Enumerable`1", StringComparison.Ordinal) || bare.EndsWith("[]", StringComparison.Ordinal) => "an array",
            _ => "an object",
        };
    }

    /// <summary>Removes what reads like a .NET type name from a framework message.</summary>
    private static string Scrub(string message) => DotNetTypeName().Replace(message, "a value");

    private static T? Find<T>(Exception exception)
        where T : Exception
    {
        for (var e = exception; e is not null; e = e.InnerException)
        {
            if (e is T found)
            {
                return found;
            }
        }

        return null;
    }

    [GeneratedRegex("parameter \"(?<type>[^\"]+) (?<name>[^\" ]+)\"")]
    private static partial Regex BindingFailure();

    [GeneratedRegex("could not be converted to (?<type>[^ ]+?)\\.?$")]
    private static partial Regex ConversionFailure();

    [GeneratedRegex(@"\.(?<name>[A-Za-z_][A-Za-z0-9_]*)(\[\d+\])?$")]
    private static partial Regex FieldName();

    [GeneratedRegex(@"(System|Microsoft|IntentVision)\.[\w.`\[\],]+")]
    private static partial Regex DotNetTypeName();
}
