using System.Reflection;
using System.Text;
using System.Text.RegularExpressions;

namespace IntentVision.Data.Migrations;

/// <summary>
/// The ordered, validated list of migrations: from <c>db/migrations</c> as embedded in this assembly, or from
/// any folder. Files are <c>NNN_description.sql</c> (three or more digits, lowercase words joined by '_') with
/// an optional <c>NNN_description.down.sql</c>; versions run 1, 2, 3 ... without gaps or duplicates.
/// </summary>
public sealed partial class MigrationCatalog
{
    private const string ResourcePrefix = "migrations/";

    private MigrationCatalog(string source, IReadOnlyList<MigrationScript> migrations)
    {
        Source = source;
        Migrations = migrations;
    }

    /// <summary>Where the migrations came from, for messages ("embedded db/migrations" or a folder path).</summary>
    public string Source { get; }

    public IReadOnlyList<MigrationScript> Migrations { get; }

    public MigrationScript? Find(int version) => Migrations.FirstOrDefault(m => m.Version == version);

    public static MigrationCatalog FromEmbeddedResources()
    {
        var assembly = typeof(MigrationCatalog).Assembly;
        var files = assembly.GetManifestResourceNames()
            .Where(n => n.StartsWith(ResourcePrefix, StringComparison.Ordinal))
            .Select(n => (Name: n[ResourcePrefix.Length..], Content: ReadResource(assembly, n)));
        return Build("the embedded db/migrations", files);
    }

    public static MigrationCatalog FromDirectory(string directory)
    {
        var full = Path.GetFullPath(directory);
        if (!Directory.Exists(full))
        {
            throw new MigrationCatalogException(full, [$"the folder {full} does not exist"]);
        }

        var files = Directory.EnumerateFiles(full)
            .Select(p => (Name: Path.GetFileName(p), Content: File.ReadAllText(p, Encoding.UTF8)));
        return Build(full, files);
    }

    /// <summary>Builds a catalog from (file name, content) pairs; exposed for tests and tools.</summary>
    public static MigrationCatalog Build(string source, IEnumerable<(string Name, string Content)> files)
    {
        var problems = new List<string>();
        var ups = new Dictionary<int, List<(string Name, string Content)>>();
        var downs = new Dictionary<string, string>(StringComparer.Ordinal);

        foreach (var (fileName, content) in files.OrderBy(f => f.Name, StringComparer.Ordinal))
        {
            if (fileName.StartsWith('.') || fileName.StartsWith("README", StringComparison.OrdinalIgnoreCase))
            {
                continue;
            }

            var match = FileNamePattern().Match(fileName);
            if (!match.Success)
            {
                problems.Add($"'{fileName}' is not a migration file name: expected NNN_description.sql or NNN_description.down.sql (three or more digits, lowercase words joined by '_')");
                continue;
            }

            var name = $"{match.Groups["version"].Value}_{match.Groups["words"].Value}";
            if (match.Groups["down"].Success)
            {
                downs[name] = content;
                continue;
            }

            var version = int.Parse(match.Groups["version"].Value, System.Globalization.CultureInfo.InvariantCulture);
            if (!ups.TryGetValue(version, out var list))
            {
                ups[version] = list = [];
            }

            list.Add((name, content));
            if (string.IsNullOrWhiteSpace(content))
            {
                problems.Add($"'{fileName}' is empty");
            }
        }

        foreach (var (version, list) in ups.Where(u => u.Value.Count > 1))
        {
            problems.Add($"version {version} is used by more than one file: {string.Join(", ", list.Select(l => l.Name + ".sql"))}");
        }

        var ordered = ups.Keys.Order().ToList();
        for (var expected = 1; expected <= (ordered.Count == 0 ? 0 : ordered[^1]); expected++)
        {
            if (!ups.ContainsKey(expected))
            {
                problems.Add($"version {expected:000} is missing: migrations must be numbered 1, 2, 3 ... without gaps");
            }
        }

        var upNames = ups.Values.SelectMany(l => l).Select(l => l.Name).ToHashSet(StringComparer.Ordinal);
        foreach (var orphan in downs.Keys.Where(d => !upNames.Contains(d)))
        {
            problems.Add($"'{orphan}.down.sql' has no matching '{orphan}.sql'");
        }

        var migrations = new List<MigrationScript>();
        foreach (var version in ordered)
        {
            var (name, content) = ups[version][0];
            try
            {
                var statements = SqlScriptSplitter.Split(content);
                var control = statements.FirstOrDefault(s => TransactionControl().IsMatch(s.Text));
                if (control is not null)
                {
                    problems.Add($"'{name}.sql' statement {control.Number} (line {control.Line}) controls the transaction ('{control.FirstLine}'); the migrator wraps each file in its own transaction");
                }
            }
            catch (SqlScriptException e)
            {
                problems.Add($"'{name}.sql': {e.Message}");
            }

            migrations.Add(new MigrationScript(version, name, content, downs.GetValueOrDefault(name)));
        }

        if (problems.Count > 0)
        {
            throw new MigrationCatalogException(source, problems);
        }

        return new MigrationCatalog(source, migrations);
    }

    private static string ReadResource(Assembly assembly, string name)
    {
        using var stream = assembly.GetManifestResourceStream(name)!;
        using var reader = new StreamReader(stream, Encoding.UTF8);
        return reader.ReadToEnd();
    }

    [GeneratedRegex(@"^(?<version>\d{3,})_(?<words>[a-z0-9]+(?:_[a-z0-9]+)*)(?<down>\.down)?\.sql$")]
    private static partial Regex FileNamePattern();

    [GeneratedRegex(@"^\s*(BEGIN|COMMIT|END|ROLLBACK|SAVEPOINT|RELEASE)\b", RegexOptions.IgnoreCase)]
    private static partial Regex TransactionControl();
}
