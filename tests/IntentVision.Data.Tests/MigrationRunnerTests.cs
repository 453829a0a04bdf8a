using Dapper;
using IntentVision.Data.Migrations;
using IntentVision.LibSql;

namespace IntentVision.Data.Tests;

/// <summary>The migration engine on one backend; <see cref="MigrationRunnerFileTests"/> and <see cref="MigrationRunnerSqldTests"/> run every test on each.</summary>
public abstract class MigrationRunnerTests(TestBackend backend) : DatabaseTestBase(backend)
{
    private static readonly (string, string)[] TwoGoodMigrations =
    [
        ("001_create_a.sql", "CREATE TABLE IF NOT EXISTS a (id INTEGER PRIMARY KEY, x TEXT);\nINSERT INTO a (x) VALUES ('seed');"),
        ("001_create_a.down.sql", "DROP TABLE IF EXISTS a;"),
        ("002_create_b.sql", "CREATE TABLE IF NOT EXISTS b (id INTEGER PRIMARY KEY, a_id INTEGER REFERENCES a (id));"),
        ("002_create_b.down.sql", "DROP TABLE IF EXISTS b;"),
    ];

    private MigrationRunner Runner(params (string, string)[] files) =>
        new(Db.DataSource, MigrationCatalog.Build("test", files), TimeProvider.System);

    [Fact]
    public async Task AppliesTheRealSchemaToAFreshDatabaseWithEveryCoreTable()
    {
        var runner = new MigrationRunner(Db.DataSource, MigrationCatalog.FromEmbeddedResources(), TimeProvider.System);
        var result = await runner.RunAsync();
        Assert.Equal(MigrationStepOutcome.Applied, result.Steps[0].Outcome);

        await using var connection = await Db.DataSource.OpenConnectionAsync();
        var tables = (await connection.QueryAsync<string>("SELECT name FROM sqlite_master WHERE type = 'table'")).ToHashSet();
        foreach (var table in new[] { "_migrations", "organizations", "metrics", "time_series", "forecasts", "anomalies", "alerts", "alert_rules", "ingestion_sources" })
        {
            Assert.Contains(table, tables);
        }

        var status = await runner.GetStatusAsync();
        Assert.True(status.IsCurrent);
        Assert.Equal("001_initial_schema", status.Applied.First().Name);
        Assert.Equal(runner.Catalog.Migrations.Count, status.Applied.Count());
    }

    [Fact]
    public async Task ARangeReadOfOneSeriesWalksThePointsKey()
    {
        var runner = new MigrationRunner(Db.DataSource, MigrationCatalog.FromEmbeddedResources(), TimeProvider.System);
        await runner.RunAsync();
        await using var connection = await Db.DataSource.OpenConnectionAsync();
        var plan = string.Join(" | ", (await connection.QueryAsync("EXPLAIN QUERY PLAN SELECT ts, value FROM metrics WHERE series_id = 1 AND ts >= 0 AND ts < 100 ORDER BY ts"))
            .Select(r => (string)((IDictionary<string, object>)r)["detail"]));
        Assert.Contains("USING PRIMARY KEY (series_id=? AND ts>? AND ts<?)", plan);
        Assert.DoesNotContain("USE TEMP B-TREE", plan);
    }

    [Fact]
    public async Task RecordsNameChecksumTimeAndDurationAndARerunIsANoOp()
    {
        var runner = Runner(TwoGoodMigrations);
        var first = await runner.RunAsync();
        Assert.Equal(2, first.AppliedCount);

        var second = await runner.RunAsync();
        Assert.Empty(second.Steps);

        await using var connection = await Db.DataSource.OpenConnectionAsync();
        Assert.Equal(1, await connection.ExecuteScalarAsync<long>("SELECT count(*) FROM a"));
        var rows = (await connection.QueryAsync<(long Version, string Name, string Checksum, string AppliedAt)>(
            "SELECT version, name, checksum, applied_at FROM _migrations ORDER BY version")).ToList();
        Assert.Equal(["001_create_a", "002_create_b"], rows.Select(r => r.Name));
        Assert.Equal(runner.Catalog.Migrations[0].Checksum, rows[0].Checksum);
        Assert.True(DateTimeOffset.Parse(rows[0].AppliedAt) > DateTimeOffset.UtcNow.AddMinutes(-1));
    }

    [Fact]
    public async Task AMigrationFailingAtItsThirdStatementLeavesNoTraceAndTheFixedFileAppliesNextRun()
    {
        var broken = Runner(
            ("001_create_a.sql", "CREATE TABLE a (id INTEGER PRIMARY KEY);"),
            ("002_break.sql", "CREATE TABLE c (id INTEGER);\nINSERT INTO c VALUES (1);\nINSERT INTO no_such_table VALUES (1);\nCREATE TABLE d (x);"));
        var e = await Assert.ThrowsAsync<MigrationFailedException>(() => broken.RunAsync());
        Assert.Equal("002_break.sql", e.FileName);
        Assert.Equal(3, e.Statement!.Number);
        Assert.Contains("statement 3 (line 3: 'INSERT INTO no_such_table VALUES (1)')", e.Message);
        Assert.Contains("no such table", e.Message);

        var status = await broken.GetStatusAsync();
        Assert.Equal("001_create_a", Assert.Single(status.Applied).Name);
        Assert.Equal("002_break", Assert.Single(status.Pending).Name);
        await using (var connection = await Db.DataSource.OpenConnectionAsync())
        {
            Assert.Equal(0, await connection.ExecuteScalarAsync<long>("SELECT count(*) FROM sqlite_master WHERE name IN ('c', 'd')"));
        }

        var fixedRunner = Runner(
            ("001_create_a.sql", "CREATE TABLE a (id INTEGER PRIMARY KEY);"),
            ("002_break.sql", "CREATE TABLE c (id INTEGER);\nINSERT INTO c VALUES (1);\nCREATE TABLE d (x);"));
        var result = await fixedRunner.RunAsync();
        Assert.Equal("002_break", Assert.Single(result.Steps).Name);
        Assert.True((await fixedRunner.GetStatusAsync()).IsCurrent);
    }

    [Fact]
    public async Task AChangedFileIsDriftAndRunRefusesNamingTheFile()
    {
        await Runner(TwoGoodMigrations).RunAsync();
        var changed = Runner(
            ("001_create_a.sql", "CREATE TABLE IF NOT EXISTS a (id INTEGER PRIMARY KEY, x TEXT, extra TEXT);"),
            ("002_create_b.sql", TwoGoodMigrations[2].Item2),
            ("003_more.sql", "CREATE TABLE m (x);"));
        var status = await changed.GetStatusAsync();
        Assert.Equal("001_create_a", Assert.Single(status.Drifted).Name);
        Assert.False(status.IsCurrent);

        var e = await Assert.ThrowsAsync<MigrationRefusedException>(() => changed.RunAsync());
        Assert.Contains("001_create_a.sql changed after it was applied", e.Message);
        Assert.Equal("003_more", Assert.Single((await changed.GetStatusAsync()).Pending).Name);
    }

    [Fact]
    public async Task AnAppliedMigrationWhoseFileIsGoneIsReported()
    {
        await Runner(TwoGoodMigrations).RunAsync();
        var shorter = Runner(TwoGoodMigrations[0], TwoGoodMigrations[1]);
        var status = await shorter.GetStatusAsync();
        Assert.Equal("002_create_b", Assert.Single(status.MissingFiles).Name);
        var e = await Assert.ThrowsAsync<MigrationRefusedException>(() => shorter.RunAsync());
        Assert.Contains("002_create_b is recorded as applied but its file is gone", e.Message);
    }

    [Fact]
    public async Task DryRunAndTargetApplyOnlyWhatTheySay()
    {
        var runner = Runner(TwoGoodMigrations);
        var plan = await runner.RunAsync(dryRun: true);
        Assert.All(plan.Steps, s => Assert.Equal(MigrationStepOutcome.Planned, s.Outcome));
        Assert.Equal(2, (await runner.GetStatusAsync()).Pending.Count());

        var partial = await runner.RunAsync(targetVersion: 1);
        Assert.Equal("001_create_a", Assert.Single(partial.Steps).Name);
        Assert.Equal("002_create_b", Assert.Single((await runner.GetStatusAsync()).Pending).Name);

        await Assert.ThrowsAsync<MigrationRefusedException>(() => runner.RunAsync(targetVersion: 9));
    }

    [Fact]
    public async Task RollbackRevertsWithTheDownFileAndTheMigrationAppliesAgain()
    {
        var runner = Runner(TwoGoodMigrations);
        await runner.RunAsync();
        var reverted = await runner.RollbackAsync(steps: 1);
        Assert.Equal("002_create_b", Assert.Single(reverted.Steps).Name);
        await using (var connection = await Db.DataSource.OpenConnectionAsync())
        {
            Assert.Equal(0, await connection.ExecuteScalarAsync<long>("SELECT count(*) FROM sqlite_master WHERE name = 'b'"));
        }

        Assert.Equal("002_create_b", Assert.Single((await runner.GetStatusAsync()).Pending).Name);
        Assert.Equal(1, (await runner.RunAsync()).AppliedCount);

        await runner.RollbackAsync(toVersion: 0);
        Assert.Empty((await runner.GetStatusAsync()).Applied);
    }

    [Fact]
    public async Task RollbackWithoutADownFileRefusesAndPrintsTheWrittenSteps()
    {
        var runner = Runner(("001_a.sql", "-- Rollback: DROP TABLE a;\nCREATE TABLE a (x);"));
        await runner.RunAsync();
        var e = await Assert.ThrowsAsync<MigrationRefusedException>(() => runner.RollbackAsync());
        Assert.Contains("has no 001_a.down.sql", e.Message);
        Assert.Contains("DROP TABLE a;", e.Message);
        Assert.Single((await runner.GetStatusAsync()).Applied);
    }

    [Fact]
    public async Task TwoMigratorsAtOnceApplyEachMigrationExactlyOnce()
    {
        var files = Enumerable.Range(1, 6)
            .Select(i => ($"{i:000}_step_{i}.sql", $"CREATE TABLE t{i} (x);\nINSERT INTO t{i} VALUES ({i});"))
            .ToArray();
        var second = Db.OpenAnother();
        var a = new MigrationRunner(Db.DataSource, MigrationCatalog.Build("test", files), TimeProvider.System);
        var b = new MigrationRunner(second, MigrationCatalog.Build("test", files), TimeProvider.System);

        var results = await Task.WhenAll(Task.Run(() => a.RunAsync()), Task.Run(() => b.RunAsync()));

        var applied = results.SelectMany(r => r.Steps).Where(s => s.Outcome == MigrationStepOutcome.Applied).Select(s => s.Version).Order();
        Assert.Equal(Enumerable.Range(1, 6), applied);
        await using var connection = await Db.DataSource.OpenConnectionAsync();
        Assert.Equal(6, await connection.ExecuteScalarAsync<long>("SELECT count(*) FROM _migrations"));
        for (var i = 1; i <= 6; i++)
        {
            Assert.Equal(1, await connection.ExecuteScalarAsync<long>($"SELECT count(*) FROM t{i}"));
        }
    }

    [Fact]
    public async Task TestReportsTheEngineAndRollsBackItsProbeWrite()
    {
        var result = await Runner(TwoGoodMigrations).TestAsync();
        Assert.Matches(@"^3\.\d+\.\d+", result.EngineVersion);
        Assert.True(result.WriteRolledBack);
        Assert.Equal(Backend == TestBackend.File ? "EmbeddedFile" : "Remote", result.Backend);
    }

    [Fact]
    public async Task ADryRunOnAFreshDatabaseWritesNothingAtAll()
    {
        var plan = await Runner(TwoGoodMigrations).RunAsync(dryRun: true);
        Assert.Equal(2, plan.Steps.Count);
        await using var connection = await Db.DataSource.OpenConnectionAsync();
        Assert.Equal(0, await connection.ExecuteScalarAsync<long>("SELECT count(*) FROM sqlite_master"));
    }

    [Fact]
    public async Task ALiveHolderElsewhereMakesTheRunWaitThenGiveUpNamingItWithNothingApplied()
    {
        await Runner(TwoGoodMigrations[0], TwoGoodMigrations[1]).RunAsync();
        await InsertLockRowAsync("build-agent-7:4242:abcd", "build-agent-7", 4242, DateTimeOffset.UtcNow.AddMinutes(5));
        var waitedFor = new List<MigrationLockHolder>();
        var patient = new MigrationRunner(Db.DataSource, MigrationCatalog.Build("test", TwoGoodMigrations), TimeProvider.System)
        {
            LockOptions = new MigrationLockOptions { WaitTimeout = TimeSpan.FromSeconds(1), PollInterval = TimeSpan.FromMilliseconds(100), Waiting = waitedFor.Add },
        };

        var e = await Assert.ThrowsAsync<MigrationLockTimeoutException>(() => patient.RunAsync());
        Assert.Contains("build-agent-7:4242:abcd", e.Message);
        Assert.Equal("build-agent-7", Assert.Single(waitedFor).Host);
        var status = await patient.GetStatusAsync();
        Assert.Equal("002_create_b", Assert.Single(status.Pending).Name);
        Assert.Equal(4242, status.Lock?.ProcessId);
    }

    [Fact]
    public async Task ALockLeftByADeadProcessOnThisMachineOrAnExpiredLeaseIsTakenOverAtOnce()
    {
        // A pid far above any pid_max: no such process.
        await InsertLockRowAsync($"{Environment.MachineName}:99999999:dead", Environment.MachineName, 99_999_999, DateTimeOffset.UtcNow.AddMinutes(5));
        var runner = new MigrationRunner(Db.DataSource, MigrationCatalog.Build("test", TwoGoodMigrations[..2]), TimeProvider.System)
        {
            LockOptions = new MigrationLockOptions { WaitTimeout = TimeSpan.FromSeconds(2) },
        };
        Assert.Equal(1, (await runner.RunAsync()).AppliedCount);

        await InsertLockRowAsync("elsewhere:1:gone", "elsewhere", 1, DateTimeOffset.UtcNow.AddSeconds(-1));
        var next = new MigrationRunner(Db.DataSource, MigrationCatalog.Build("test", TwoGoodMigrations), TimeProvider.System)
        {
            LockOptions = new MigrationLockOptions { WaitTimeout = TimeSpan.FromSeconds(2) },
        };
        Assert.Equal(1, (await next.RunAsync()).AppliedCount);
        Assert.Null((await next.GetStatusAsync()).Lock);
    }

    [Fact]
    public async Task VerifyPassesForACurrentDatabaseAndReportsATableMadeOutsideTheMigrations()
    {
        var runner = Runner(TwoGoodMigrations);
        await runner.RunAsync();
        var ok = await runner.VerifyAsync();
        Assert.True(ok.Passed, string.Join("; ", ok.SchemaDifferences) + ok.ScratchFailure);
        Assert.Equal(2, ok.ScratchSteps.Count);
        Assert.Contains(Backend == TestBackend.File ? "a temporary file" : "temporary local file", ok.ScratchDatabase);

        await using (var connection = await Db.DataSource.OpenConnectionAsync())
        {
            await connection.ExecuteAsync("CREATE TABLE hand_made (x)");
        }

        var drifted = await runner.VerifyAsync();
        Assert.False(drifted.Passed);
        Assert.Contains("table hand_made is in the database but no migration creates it", drifted.SchemaDifferences);
    }

    [Fact]
    public async Task VerifyReportsDriftAndAMigrationThatFailsFromZero()
    {
        await Runner(TwoGoodMigrations).RunAsync();
        var changed = Runner(
            ("001_create_a.sql", "CREATE TABLE IF NOT EXISTS a (id INTEGER PRIMARY KEY, x TEXT, extra TEXT);"),
            ("002_create_b.sql", TwoGoodMigrations[2].Item2),
            ("003_broken.sql", "CREATE TABLE m (x);\nINSERT INTO nowhere VALUES (1);"));
        var result = await changed.VerifyAsync();
        Assert.False(result.Passed);
        Assert.Contains(result.ChecksumProblems, p => p.StartsWith("001_create_a.sql changed after it was applied", StringComparison.Ordinal));
        Assert.Contains("003_broken.sql failed at statement 2", result.ScratchFailure);
    }

    private async Task InsertLockRowAsync(string holder, string host, int pid, DateTimeOffset expiresAt)
    {
        await using var connection = await Db.DataSource.OpenConnectionAsync();
        await connection.ExecuteAsync(MigrationLock.Ddl);
        await connection.ExecuteAsync("DELETE FROM _migrations_lock");
        await connection.ExecuteAsync(
            "INSERT INTO _migrations_lock (id, holder, host, pid, process_started_at, acquired_at, expires_at) VALUES (1, @holder, @host, @pid, @at, @at, @expires)",
            new { holder, host, pid, at = DateTimeOffset.UtcNow.AddMinutes(-1).ToString("O"), expires = expiresAt.ToUniversalTime().ToString("O") });
    }
}
