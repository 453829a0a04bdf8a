using IntentVision.Data.Migrations;

namespace IntentVision.Data.Backup;

/// <summary>A restore failed and was rolled back: the target is as it was. Names the dump's statement (number, line, first line) when known.</summary>
public sealed class RestoreFailedException(string source, SqlStatement? statement, string engineMessage, Exception? inner)
    : Exception(statement is null
        ? $"Restoring {source} failed and was rolled back, the target is unchanged: {engineMessage}"
        : $"Restoring {source} failed at statement {statement.Number} (line {statement.Line}: '{Shorten(statement.FirstLine)}') and was rolled back, the target is unchanged: {engineMessage}", inner)
{
    public SqlStatement? Statement { get; } = statement;

    public string EngineMessage { get; } = engineMessage;

    private static string Shorten(string line) => line.Length <= 120 ? line : line[..117] + "...";
}
