using IntentVision.Api.Detection;

namespace IntentVision.Api.Tests;

/// <summary>The detection thread that scores a write group's series while the writer stores them.</summary>
public sealed class ScoringThreadTests
{
    [Fact]
    public async Task WorkRunsOnTheDetectionThreadAndItsFailureReachesTheWaiter()
    {
        using var thread = new ScoringThread();
        string? ranOn = null;
        await thread.Run(() => ranOn = Thread.CurrentThread.Name);
        Assert.Equal("IntentVision detection", ranOn);

        var failed = thread.Run(() => throw new InvalidOperationException("scoring broke"));
        Assert.Equal("scoring broke", (await Assert.ThrowsAsync<InvalidOperationException>(() => failed)).Message);

        // The thread goes on after a failure, group after group.
        var count = 0;
        for (var i = 0; i < 100; i++)
        {
            await thread.Run(() => count++);
        }

        Assert.Equal(100, count);
    }

    [Fact]
    public async Task AfterTheHostStopsWorkRunsOnItsCallersThreadSoNoWriterWaitsForever()
    {
        var thread = new ScoringThread();
        thread.Dispose();
        thread.Dispose();
        var caller = Environment.CurrentManagedThreadId;
        var ranOn = 0;
        var run = thread.Run(() => ranOn = Environment.CurrentManagedThreadId);
        Assert.True(run.IsCompleted);
        await run;
        Assert.Equal(caller, ranOn);
    }
}
