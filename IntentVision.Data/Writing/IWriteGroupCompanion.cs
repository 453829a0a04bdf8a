namespace IntentVision.Data.Writing;

/// <summary>
/// Bookkeeping that rides along with the writer's groups instead of taking transactions of its own (the last use of
/// API keys): when a group forms, the writer asks each companion for what it has pending and runs it in the same
/// transaction, under its own savepoint, after the group's units.
/// </summary>
public interface IWriteGroupCompanion
{
    /// <summary>What is pending, or null when nothing is. Called on the writer's loop: it must not block.</summary>
    ICompanionWrite? TakePending();
}

/// <summary>One companion's share of a group: written in it, then told whether the group committed.</summary>
public interface ICompanionWrite
{
    Task WriteAsync(WriteScope scope, CancellationToken cancellationToken);

    /// <summary>The group committed with this write in it.</summary>
    void Committed();

    /// <summary>The write or its group failed: nothing of it was stored, so it stays pending.</summary>
    void Failed(Exception error);
}
