namespace IntentVision.Data.Tests;

/// <summary>A test class that gets a fresh database on its backend before each test and drops it after.</summary>
public abstract class DatabaseTestBase(TestBackend backend) : IAsyncLifetime
{
    private ScratchDatabase? _db;

    protected TestBackend Backend { get; } = backend;

    protected ScratchDatabase Db => _db ?? throw new InvalidOperationException("The database is created in InitializeAsync.");

    public async Task InitializeAsync() => _db = await ScratchDatabase.CreateAsync(Backend);

    public async Task DisposeAsync()
    {
        if (_db is not null)
        {
            await _db.DisposeAsync();
        }
    }
}
