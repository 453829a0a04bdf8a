namespace IntentVision.Data.Tests;

/// <summary>A test class that gets a fresh database on its backend before each test and drops it after.</summary>
public abstract class DatabaseTestBase(TestBackend backend) : IAsyncLifetime
{
    private TestDatabase? _db;

    protected TestBackend Backend { get; } = backend;

    protected TestDatabase Db => _db ?? throw new InvalidOperationException("The database is created in InitializeAsync.");

    public virtual async Task InitializeAsync() => _db = await TestDatabase.CreateAsync(Backend);

    public virtual async Task DisposeAsync()
    {
        if (_db is not null)
        {
            await _db.DisposeAsync();
        }
    }
}
