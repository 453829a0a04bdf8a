using Dapper;
using IntentVision.Data.Metrics;
using IntentVision.Data.Migrations;
using IntentVision.Data.Organizations;
using IntentVision.Data.Writing;
using IntentVision.LibSql;

namespace IntentVision.Data.Tests;

/// <summary>
/// The database writer's group participants, on both backends: a participant sees every unit of a group before any
/// runs, then the units that succeeded with their results, on the writer's transaction, and hears how the group ended
/// before the callers do; what it writes commits or rolls back with the group.
/// </summary>
public abstract class WriteGroupParticipantTests(TestBackend backend) : DatabaseTestBase(backend)
{
    private static readonly DateTimeOffset T0 = new(2026, 11, 1, 0, 0, 0, TimeSpan.Zero);

    public override async Task InitializeAsync()
    {
        await base.InitializeAsync();
        await new MigrationRunner(Db.DataSource, MigrationCatalog.FromEmbeddedResources(), TimeProvider.System).RunAsync();
        await new OrganizationRepository(Db.DataSource, TimeProvider.System).CreateAsync("acme", "Acme");
    }

    [Fact]
    public async Task AParticipantSeesEveryUnitThenTheStoredOnesAndWritesWithThem()
    {
        var participant = new RecordingParticipant();
        using var writer = new DatabaseWriter(Db.DataSource, TimeProvider.System, [participant]);
        await writer.StartAsync(CancellationToken.None);
        var ingest = new IngestWriter(writer);

        var writes = await InOneGroupAsync(
            writer,
            () => ingest.IngestAsync("acme", Points("p.first", 20)),
            // NaN is stored as NULL, which value NOT NULL refuses: this unit rolls back to its savepoint alone.
            () => ingest.IngestAsync("acme", [.. Points("p.failing", 10), new MetricPoint("p.failing", T0.AddHours(1), double.NaN)]),
            () => ingest.IngestAsync("acme", Points("p.last", 5)));
        await Assert.ThrowsAsync<LibSqlException>(() => writes[1]);

        var group = participant.Groups[^1];
        Assert.Equal(["p.first", "p.failing", "p.last"], group.Units.Cast<IngestUnit>().Select(u => u.Batch.Series[0].Key.MetricKey));
        Assert.Equal([group.Units[0], group.Units[2]], group.Written.Select(w => w.Unit));
        Assert.Same(await writes[0], group.Written[0].Result);
        Assert.Same(await writes[2], group.Written[1].Result);
        Assert.True(group.Committed);
        Assert.Equal("2 of 3 units written", await NameAsync());
        await writer.StopAsync(CancellationToken.None);
    }

    [Fact]
    public async Task AParticipantThatFailsBeforeCommitRollsTheWholeGroupBack()
    {
        var participant = new RecordingParticipant { FailBeforeCommit = true };
        using var writer = new DatabaseWriter(Db.DataSource, TimeProvider.System, [participant]);
        await writer.StartAsync(CancellationToken.None);
        var ingest = new IngestWriter(writer);

        var writes = await InOneGroupAsync(
            writer,
            () => ingest.IngestAsync("acme", Points("r.first", 20)),
            () => ingest.IngestAsync("acme", Points("r.second", 20)));

        Assert.Equal("The participant refuses the group.", (await Assert.ThrowsAsync<InvalidOperationException>(() => writes[0])).Message);
        await Assert.ThrowsAsync<InvalidOperationException>(() => writes[1]);
        Assert.False(participant.Groups[^1].Committed);
        Assert.True(participant.Groups[^1].RolledBack);
        await using var connection = await Db.DataSource.OpenConnectionAsync();
        Assert.Equal(0, await connection.ExecuteScalarAsync<long>("SELECT count(*) FROM time_series WHERE metric_key LIKE 'r.%'"));
        Assert.Equal("1 of 1 units written", await NameAsync()); // the holding unit's group; the refused group's write is gone
        await writer.StopAsync(CancellationToken.None);
    }

    /// <summary>Starts the writes while a unit holds the writer, so that they form the next group together.</summary>
    private static async Task<Task<IngestResult>[]> InOneGroupAsync(DatabaseWriter writer, params Func<Task<IngestResult>>[] writes)
    {
        var held = new HeldUnit();
        var holding = writer.WriteAsync(held);
        await held.Started.Task.WaitAsync(TimeSpan.FromSeconds(60));
        var started = writes.Select(write => write()).ToArray();
        held.Release.SetResult();
        await holding;
        await Task.WhenAll(started.Select(t => t.ContinueWith(_ => { }, TaskScheduler.Default)));
        return started;
    }

    private static List<MetricPoint> Points(string metric, int count) =>
        Enumerable.Range(0, count).Select(i => new MetricPoint(metric, T0.AddSeconds(i), i)).ToList();

    private async Task<string> NameAsync()
    {
        await using var connection = await Db.DataSource.OpenConnectionAsync();
        return await connection.ExecuteScalarAsync<string>("SELECT name FROM organizations WHERE id = 'acme'") ?? string.Empty;
    }

    /// <summary>What one group showed a participant.</summary>
    private sealed class GroupSeen(IReadOnlyList<object> units)
    {
        public IReadOnlyList<object> Units { get; } = units;

        public IReadOnlyList<WrittenUnit> Written { get; set; } = [];

        public bool Committed { get; set; }

        public bool RolledBack { get; set; }
    }

    /// <summary>
    /// Records each group; before COMMIT it writes how many units were written, through the writer's scope, and refuses
    /// groups with ingests when told to.
    /// </summary>
    private sealed class RecordingParticipant : IWriteGroupParticipant
    {
        public bool FailBeforeCommit { get; init; }

        public List<GroupSeen> Groups { get; } = [];

        public void Begin(IReadOnlyList<object> units) => Groups.Add(new GroupSeen([.. units]));

        public async Task BeforeCommitAsync(WriteScope scope, IReadOnlyList<WrittenUnit> written, CancellationToken cancellationToken)
        {
            var group = Groups[^1];
            group.Written = [.. written];
            await scope.Connection.ExecuteAsync(
                "UPDATE organizations SET name = @name WHERE id = 'acme'",
                new { name = $"{written.Count} of {group.Units.Count} units written" },
                scope.Transaction);
            if (FailBeforeCommit && written.Any(w => w.Unit is IngestUnit))
            {
                throw new InvalidOperationException("The participant refuses the group.");
            }
        }

        public void Committed() => Groups[^1].Committed = true;

        public void RolledBack() => Groups[^1].RolledBack = true;
    }

    /// <summary>A unit that holds the writer until released.</summary>
    private sealed class HeldUnit : IWriteUnit<int>
    {
        public TaskCompletionSource Started { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

        public TaskCompletionSource Release { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

        public int Weight => 1;

        public async Task<int> WriteAsync(WriteScope scope, CancellationToken cancellationToken)
        {
            Started.SetResult();
            await Release.Task.WaitAsync(cancellationToken);
            return 0;
        }
    }
}

public sealed class WriteGroupParticipantFileTests() : WriteGroupParticipantTests(TestBackend.File);

public sealed class WriteGroupParticipantSqldTests() : WriteGroupParticipantTests(TestBackend.Sqld);
