namespace IntentVision.Api.Logging;

/// <summary>
/// Wraps the logger factory so every entry, from our code or the framework's (hosting logs the path and query of
/// every request at Information; routing and binding log paths and values at Debug), is masked by
/// <see cref="SecretRedactor"/> before any provider sees it, whatever the level or the provider.
/// </summary>
internal sealed class RedactingLoggerFactory(ILoggerFactory inner, SecretRedactor redactor) : ILoggerFactory
{
    public ILogger CreateLogger(string categoryName) => new RedactingLogger(inner.CreateLogger(categoryName), redactor);

    public void AddProvider(ILoggerProvider provider) => inner.AddProvider(provider);

    public void Dispose() => inner.Dispose();

    private sealed class RedactingLogger(ILogger inner, SecretRedactor redactor) : ILogger
    {
        public bool IsEnabled(LogLevel logLevel) => inner.IsEnabled(logLevel);

        public IDisposable? BeginScope<TState>(TState state)
            where TState : notnull
        {
            var text = state.ToString() ?? string.Empty;
            return RedactedState.From(state, text, redactor.Redact(text), redactor) is { } masked
                ? inner.BeginScope(masked)
                : inner.BeginScope(state);
        }

        public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
        {
            if (!inner.IsEnabled(logLevel))
            {
                return;
            }

            var message = formatter(state, exception);
            var maskedException = exception is null ? null : RedactedException.From(exception, redactor);
            if (RedactedState.From(state, message, redactor.Redact(message), redactor) is { } masked)
            {
                inner.Log(logLevel, eventId, masked, maskedException, static (s, _) => s.ToString());
            }
            else
            {
                inner.Log(logLevel, eventId, state, maskedException, formatter);
            }
        }
    }
}
