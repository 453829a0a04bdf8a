using Dapper;
using IntentVision.Data.Backup;
using IntentVision.Data.Migrations;
using IntentVision.LibSql;

namespace IntentVision.Data.Tests;

/// <summary>Dump and restore on one backend; <see cref="BackupFileTests"/> and <see cref="BackupSqldTests"/> run every test on each.</summary>
public abstract class BackupTests(TestBackend backend) : DatabaseTestBase(backend)
{
    private const string Schema = """"
        CREATE TABLE parent (id INTEGER PRIMARY KEY AUTOINCREMENT, name TEXT NOT NULL);
        CREATE TABLE "odd ""name""" (k TEXT PRIMARY KEY, v BLOB) WITHOUT ROWID;
        CREATE TABLE child (
            id INTEGER PRIMARY KEY,
            parent_id INTEGER NOT NULL REFERENCES parent (id),
            big INTEGER, real REAL, any_value, note TEXT,
            doubled REAL GENERATED ALWAYS AS (real * 2) VIRTUAL);
        CREATE TABLE audit (n INTEGER);
        CREATE INDEX child_parent ON child (parent_id, big);
        CREATE VIEW child_names AS SELECT c.id, p.name FROM child c JOIN parent p ON p.id = c.parent_id;
        CREATE TRIGGER child_audit AFTER INSERT ON child BEGIN
            INSERT INTO audit VALUES (CASE WHEN new.big > 0 THEN 1 ELSE -1 END);
        END;
        """";

    public static readonly double[] SpecialDoubles =
    [
        0.1, 1.0 / 3, -2.5, 1e300, -1e-300, double.Epsilon, 2.2250738585072014e-308, double.MaxValue, double.MinValue,
        9007199254740993.0, 123456789.123456789, 0.30000000000000004, -1.547182503134182e-78, 1.6514842009472972e+116, 1.75410082946472e-137,
        4.0, 1e22, 1e23, -0.0,
    ];

    /// <summary>
    /// Infinities are dumped as 9e999 / -9e999, but Hrana's JSON cannot carry them (sqld rejects such a parameter, and
    /// IntentVision.LibSql cannot read one back), so only the file backend stores and checks them.
    /// </summary>
    private IEnumerable<double> Infinities => Backend == TestBackend.File ? [double.PositiveInfinity, double.NegativeInfinity] : [];

    [Fact]
    public async Task DumpThenRestoreIntoAFreshDatabaseGivesIdenticalTables()
    {
        await SeedAsync(Db.DataSource, rows: 5000);
        var dump = await DumpAsync(Db.DataSource);
        Assert.Contains("INSERT INTO sqlite_sequence", dump);
        Assert.Contains("X'00FF10'", dump);

        await using var target = await TestDatabase.CreateAsync(Backend);
        var result = await new SqlDumpRestorer(target.DataSource).RestoreAsync(dump, "test dump", replace: false);
        Assert.Equal(5000, result.Tables.Single(t => t.Table == "child").Rows);

        await AssertSameAsync(Db.DataSource, target.DataSource);
        await using var connection = await target.DataSource.OpenConnectionAsync();
        Assert.Equal(5000, await connection.ExecuteScalarAsync<long>("SELECT count(*) FROM audit"));
        Assert.Equal(5000, await connection.ExecuteScalarAsync<long>("SELECT count(*) FROM child_names"));
        Assert.Equal(long.MaxValue - 1, await connection.ExecuteScalarAsync<long>("SELECT max(big) FROM child"));

        // The trigger is back and fires again; the AUTOINCREMENT counter continues where the source left off.
        await connection.ExecuteAsync("INSERT INTO parent (name) VALUES ('new')");
        Assert.Equal(1001, await connection.ExecuteScalarAsync<long>("SELECT max(id) FROM parent"));
        await connection.ExecuteAsync("INSERT INTO child (id, parent_id, big) VALUES (999999, 1, 5)");
        Assert.Equal(5001, await connection.ExecuteScalarAsync<long>("SELECT count(*) FROM audit"));
    }

    [Fact]
    public async Task ADumpRestoresAcrossBackendsToo()
    {
        await SeedAsync(Db.DataSource, rows: 300);
        var dump = await DumpAsync(Db.DataSource);
        await using var other = await TestDatabase.CreateAsync(Backend == TestBackend.File ? TestBackend.Sqld : TestBackend.File);
        await new SqlDumpRestorer(other.DataSource).RestoreAsync(dump, "test dump", replace: false);
        await AssertSameAsync(Db.DataSource, other.DataSource);
    }

    [Fact]
    public async Task ATableLargerThanOneServerResponseDumpsAndRestoresIdentically()
    {
        // 60,000 rows of about 250 bytes: more than sqld puts in one response (10 MB), so its reader streams them.
        await using (var connection = await Db.DataSource.OpenConnectionAsync())
        {
            await connection.ExecuteAsync("""
                CREATE TABLE points (series_id INTEGER NOT NULL, ts INTEGER NOT NULL, value REAL NOT NULL, note TEXT, PRIMARY KEY (series_id, ts)) WITHOUT ROWID;
                CREATE TABLE log (id INTEGER PRIMARY KEY, line TEXT NOT NULL);
                """);
            await connection.ExecuteAsync("""
                INSERT INTO points (series_id, ts, value, note)
                SELECT x % 97, 1767225600 + x * 60, x * 0.5 - 7, CASE WHEN x % 11 = 0 THEN NULL ELSE hex(randomblob(90)) END
                FROM (WITH RECURSIVE n(x) AS (SELECT 1 UNION ALL SELECT x + 1 FROM n WHERE x < 60000) SELECT x FROM n)
                """);
            await connection.ExecuteAsync("""
                INSERT INTO log (line) SELECT 'line ' || x || ' ' || hex(randomblob(100))
                FROM (WITH RECURSIVE n(x) AS (SELECT 1 UNION ALL SELECT x + 1 FROM n WHERE x < 50000) SELECT x FROM n)
                """);
        }

        var dump = await DumpAsync(Db.DataSource);
        await using var target = await TestDatabase.CreateAsync(Backend);
        var result = await new SqlDumpRestorer(target.DataSource).RestoreAsync(dump, "large dump", replace: false);
        Assert.Equal(60_000, result.Tables.Single(t => t.Table == "points").Rows);
        Assert.Equal(50_000, result.Tables.Single(t => t.Table == "log").Rows);
        await AssertSameAsync(Db.DataSource, target.DataSource);

        // Rows come out in key order, as the sqlite3 shell writes them.
        var keys = dump.Split('\n').Where(l => l.StartsWith("INSERT INTO \"points\"", StringComparison.Ordinal)).Select(l => l.Split('(')[2]).Take(3).ToList();
        Assert.Equal(["0,1767231420", "0,1767237240", "0,1767243060"], keys.Select(k => string.Join(',', k.Split(',').Take(2))));
    }

    [Fact]
    public async Task EveryFloatSurvivesBitForBit()
    {
        var random = new Random(42);
        var values = SpecialDoubles.Concat(Infinities).Concat(Enumerable.Range(0, 3000).Select(_ => BitConverter.Int64BitsToDouble(random.NextInt64())))
            .Where(d => !double.IsNaN(d)).ToList();
        await using (var connection = await Db.DataSource.OpenConnectionAsync())
        {
            await connection.ExecuteAsync("CREATE TABLE f (i INTEGER PRIMARY KEY, r REAL, x)");
            await using var transaction = await connection.BeginTransactionAsync();
            for (var i = 0; i < values.Count; i += 500)
            {
                var chunk = values.Skip(i).Take(500).Select((v, j) => new { i = i + j, r = v });
                await connection.ExecuteAsync("INSERT INTO f (i, r, x) VALUES (@i, @r, @r)", chunk, transaction);
            }

            await transaction.CommitAsync();
        }

        await using var target = await TestDatabase.CreateAsync(Backend);
        await new SqlDumpRestorer(target.DataSource).RestoreAsync(await DumpAsync(Db.DataSource), "floats", replace: false);
        await using var check = await target.DataSource.OpenConnectionAsync();
        var restored = (await check.QueryAsync<(long I, double R)>("SELECT i, x FROM f ORDER BY i")).ToList();
        var expected = (await (await Db.DataSource.OpenConnectionAsync()).QueryAsync<(long I, double R)>("SELECT i, x FROM f ORDER BY i")).ToList();
        Assert.Equal(expected.Count, restored.Count);
        for (var i = 0; i < expected.Count; i++)
        {
            Assert.True(BitConverter.DoubleToInt64Bits(expected[i].R) == BitConverter.DoubleToInt64Bits(restored[i].R), $"{expected[i].R:R} came back as {restored[i].R:R}");
        }

        await AssertSameAsync(Db.DataSource, target.DataSource);
    }

    [Fact]
    public async Task RestoreRefusesANonEmptyTargetAndReplaceSwapsEverythingInOneTransaction()
    {
        await SeedAsync(Db.DataSource, rows: 50);
        var dump = await DumpAsync(Db.DataSource);
        await using var target = await TestDatabase.CreateAsync(Backend);
        await using (var connection = await target.DataSource.OpenConnectionAsync())
        {
            await connection.ExecuteAsync("CREATE TABLE keep_me (x); INSERT INTO keep_me VALUES (1);");
        }

        var refused = await Assert.ThrowsAsync<BackupRefusedException>(() => new SqlDumpRestorer(target.DataSource).RestoreAsync(dump, "d", replace: false));
        Assert.Contains("not empty (1 tables: keep_me)", refused.Message);
        Assert.Contains("--replace", refused.Message);

        var result = await new SqlDumpRestorer(target.DataSource).RestoreAsync(dump, "d", replace: true);
        Assert.Equal(1, result.ReplacedObjects);
        await AssertSameAsync(Db.DataSource, target.DataSource);
    }

    [Fact]
    public async Task ARestoreThatFailsHalfWayLeavesTheTargetAsItWas()
    {
        await SeedAsync(Db.DataSource, rows: 1200);
        var before = await DatabaseFingerprint.ComputeAsync(Db.DataSource);
        var dump = await DumpAsync(Db.DataSource);
        var broken = dump.Replace("CREATE INDEX child_parent", "INSERT INTO no_such_table VALUES (1);\nCREATE INDEX child_parent", StringComparison.Ordinal);

        var e = await Assert.ThrowsAsync<RestoreFailedException>(() => new SqlDumpRestorer(Db.DataSource) { BatchSize = 100 }.RestoreAsync(broken, "broken.sql", replace: true));
        Assert.Contains("no such table", e.Message);
        Assert.Contains("INSERT INTO no_such_table", e.Message);
        Assert.Equal(before, await DatabaseFingerprint.ComputeAsync(Db.DataSource));
    }

    [Fact]
    public async Task TheMigrationLedgerTravelsWithTheDump()
    {
        var runner = new MigrationRunner(Db.DataSource, MigrationCatalog.FromEmbeddedResources(), TimeProvider.System);
        await runner.RunAsync();
        await using var target = await TestDatabase.CreateAsync(Backend);
        await new SqlDumpRestorer(target.DataSource).RestoreAsync(await DumpAsync(Db.DataSource), "d", replace: false);
        var status = await new MigrationRunner(target.DataSource, MigrationCatalog.FromEmbeddedResources(), TimeProvider.System).GetStatusAsync();
        Assert.True(status.IsCurrent);
        Assert.Null(status.Lock);
    }

    [Fact]
    public async Task AFileThatIsNotADumpIsRefusedAndLeavesNothingBehind()
    {
        // Streamed, so what is wrong shows only as it is read: everything run before that is rolled back.
        var before = await DatabaseFingerprint.ComputeAsync(Db.DataSource);
        var e = await Assert.ThrowsAsync<BackupRefusedException>(() => new SqlDumpRestorer(Db.DataSource).RestoreAsync("CREATE TABLE early (x);\nINSERT INTO x VALUES ('open", "x.sql", replace: false));
        Assert.Contains("Unterminated string starting at line 2", e.Message);
        var none = await Assert.ThrowsAsync<BackupRefusedException>(() => new SqlDumpRestorer(Db.DataSource).RestoreAsync("SELECT 1;", "y.sql", replace: false));
        Assert.Contains("creates nothing", none.Message);
        Assert.Equal(before, await DatabaseFingerprint.ComputeAsync(Db.DataSource));
    }

    private static async Task<string> DumpAsync(LibSqlDataSource source)
    {
        var text = new StringWriter();
        await new SqlDumpWriter(source, TimeProvider.System).WriteAsync(text);
        return text.ToString();
    }

    private static async Task AssertSameAsync(LibSqlDataSource expected, LibSqlDataSource actual)
    {
        var a = await DatabaseFingerprint.ComputeAsync(expected);
        var b = await DatabaseFingerprint.ComputeAsync(actual);
        Assert.Equal(a, b);
        Assert.NotEmpty(a);
    }

    private static async Task SeedAsync(LibSqlDataSource source, int rows)
    {
        await using var connection = await source.OpenConnectionAsync();
        foreach (var statement in SqlScriptSplitter.Split(Schema))
        {
            await connection.ExecuteAsync(statement.Text);
        }

        await using var transaction = await connection.BeginTransactionAsync();
        var parents = Enumerable.Range(1, 1000).Select(i => new { name = $"p{i} 'quoted' \"dq\" ünïcødé 😀\nline2\ttab" });
        await connection.ExecuteAsync("INSERT INTO parent (name) VALUES (@name)", parents, transaction);
        await connection.ExecuteAsync("INSERT INTO \"odd \"\"name\"\"\" (k, v) VALUES (@k, @v)", new[]
        {
            new { k = "a", v = (object)new byte[] { 0, 255, 16 } },
            new { k = "empty", v = (object)Array.Empty<byte>() },
            new { k = "nul", v = (object)"text with \0 inside" },
            new { k = "null", v = (object)DBNull.Value },
        }, transaction);
        var random = new Random(7);
        var children = Enumerable.Range(1, rows).Select(i => new
        {
            id = (long)i,
            parent = 1 + (i % 1000),
            big = i == rows ? long.MaxValue - 1 : i % 3 == 0 ? -(1L << 60) - i : (1L << 53) + i,
            real = i % 5 == 0 ? (object)DBNull.Value : SpecialDoubles[i % SpecialDoubles.Length] * (0.5 + (random.NextDouble() / 2)),
            any = (i % 4) switch { 0 => (object)i, 1 => random.NextDouble(), 2 => $"t{i}", _ => new byte[] { (byte)i, 1 } },
            note = i % 7 == 0 ? null : "ok",
        });
        await connection.ExecuteAsync("INSERT INTO child (id, parent_id, big, real, any_value, note) VALUES (@id, @parent, @big, @real, @any, @note)", children, transaction);
        await transaction.CommitAsync();
    }
}
