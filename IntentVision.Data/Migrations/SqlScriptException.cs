namespace IntentVision.Data.Migrations;

/// <summary>A script that cannot be split into statements (an unterminated string, comment or trigger).</summary>
public sealed class SqlScriptException(string message, int line) : Exception(message)
{
    public int Line { get; } = line;
}
