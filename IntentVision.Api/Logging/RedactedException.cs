namespace IntentVision.Api.Logging;

/// <summary>Stands in for an exception whose message or stack text held a secret: same type name, masked text.</summary>
internal sealed class RedactedException(string typeName, string message, string text) : Exception(message)
{
    public string TypeName { get; } = typeName;

    public override string? StackTrace => null;

    public override string ToString() => text;

    public static Exception From(Exception exception, SecretRedactor redactor)
    {
        var text = exception.ToString();
        var masked = redactor.Redact(text);
        return ReferenceEquals(text, masked)
            ? exception
            : new RedactedException(exception.GetType().FullName ?? exception.GetType().Name, redactor.Redact(exception.Message), masked);
    }
}
