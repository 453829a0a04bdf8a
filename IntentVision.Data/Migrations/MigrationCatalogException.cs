namespace IntentVision.Data.Migrations;

/// <summary>The migrations folder is not a valid sequence: every problem found is listed, not just the first.</summary>
public sealed class MigrationCatalogException(string source, IReadOnlyList<string> problems)
    : Exception($"The migrations in {source} are not valid:{Environment.NewLine}  - {string.Join(Environment.NewLine + "  - ", problems)}")
{
    public IReadOnlyList<string> Problems { get; } = problems;
}
