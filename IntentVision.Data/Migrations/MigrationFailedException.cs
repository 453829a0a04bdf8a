namespace IntentVision.Data.Migrations;

/// <summary>
/// A migration failed and was rolled back: names the file, the statement (number and first line) and the
/// engine's message, so the fix is obvious without reading a stack trace.
/// </summary>
public sealed class MigrationFailedException : Exception
{
    public MigrationFailedException(string fileName, SqlStatement? statement, string engineMessage, Exception? inner)
        : base(Describe(fileName, statement, engineMessage), inner)
    {
        FileName = fileName;
        Statement = statement;
        EngineMessage = engineMessage;
    }

    public string FileName { get; }

    public SqlStatement? Statement { get; }

    public string EngineMessage { get; }

    private static string Describe(string fileName, SqlStatement? statement, string engineMessage) => statement is null
        ? $"{fileName} failed and was rolled back: {engineMessage}"
        : $"{fileName} failed at statement {statement.Number} (line {statement.Line}: '{statement.FirstLine}') and was rolled back: {engineMessage}";
}
