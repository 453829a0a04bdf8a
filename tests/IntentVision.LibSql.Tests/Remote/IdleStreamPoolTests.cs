using IntentVision.LibSql.Remote;

namespace IntentVision.LibSql.Tests.Remote;

/// <summary>The pool's bookkeeping: it never answers for more streams than its capacity, and each lease ends once.</summary>
public sealed class IdleStreamPoolTests
{
    [Fact]
    public void PastItsCapacityTheLeasesAreOneOffsUntilAStreamIsForgotten()
    {
        var pool = new IdleStreamPool(capacity: 2, idleTimeout: TimeSpan.FromMinutes(1));

        var first = pool.Rent();
        var second = pool.Rent();
        var third = pool.Rent();

        Assert.True(first.Kept);
        Assert.True(second.Kept);
        Assert.False(third.Kept);
        pool.Forget(first);
        pool.Forget(first);
        Assert.True(pool.Rent().Kept);
        Assert.False(pool.Rent().Kept);
    }

    [Fact]
    public void AReturnedStreamIsTheNextOneRentedNewestFirst()
    {
        var pool = new IdleStreamPool(capacity: 4, idleTimeout: TimeSpan.FromMinutes(1));
        var a = pool.Rent();
        var b = pool.Rent();

        pool.Return(a, "baton-a", null);
        pool.Return(b, "baton-b", "https://replica.example");
        pool.Return(b, "baton-b-again", null);

        var next = pool.Rent();
        Assert.Equal("baton-b", next.Baton);
        Assert.Equal("https://replica.example", next.BaseUrl);
        Assert.True(next.Reused);
        Assert.Equal("baton-a", pool.Rent().Baton);
        Assert.Null(pool.Rent().Baton);
    }

    [Fact]
    public void StreamsIdleTooLongAreDroppedAndFreeTheirPlaces()
    {
        var pool = new IdleStreamPool(capacity: 2, idleTimeout: TimeSpan.Zero);
        var a = pool.Rent();
        var b = pool.Rent();
        pool.Return(a, "baton-a", null);
        pool.Return(b, "baton-b", null);

        var first = pool.Rent();
        var second = pool.Rent();

        Assert.True(first.Kept && second.Kept);
        Assert.Null(first.Baton);
        Assert.Null(second.Baton);
        Assert.Empty(pool.TakeIdle());
    }

    [Fact]
    public void DroppingTheIdleStreamsFreesTheirPlacesButNotThoseOutOnALease()
    {
        var pool = new IdleStreamPool(capacity: 2, idleTimeout: TimeSpan.FromMinutes(1));
        var a = pool.Rent();
        var b = pool.Rent();
        pool.Return(a, "baton-a", null);

        pool.DropIdle();

        Assert.Null(pool.Rent().Baton);
        Assert.False(pool.Rent().Kept);
        pool.Forget(b);
        Assert.True(pool.Rent().Kept);
    }

    [Fact]
    public void WithNoCapacityEveryLeaseIsAOneOff()
    {
        var pool = new IdleStreamPool(capacity: 0, idleTimeout: TimeSpan.FromMinutes(1));

        var lease = pool.Rent();
        pool.Return(lease, "baton", null);

        Assert.False(lease.Kept);
        Assert.False(pool.Rent().Kept);
        Assert.Empty(pool.TakeIdle());
    }
}
