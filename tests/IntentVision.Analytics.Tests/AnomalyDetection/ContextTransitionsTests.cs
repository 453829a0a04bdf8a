using IntentVision.Analytics.AnomalyDetection;

namespace IntentVision.Analytics.Tests.AnomalyDetection;

public sealed class ContextTransitionsTests
{
    [Fact]
    public void AGroupKeepsItsLastTwoStepsAtTheirMemoryVersion()
    {
        var transitions = new ContextTransitions(capacity: 8);
        var from = transitions.Number(3, [0, 5]);
        var to = transitions.Number(4, [5]);
        Assert.Equal(from, transitions.Number(3, [0, 5]));
        Assert.NotEqual(from, transitions.Number(3, [5]));

        transitions.Remember(from, 4, 0.25, to, version: 7);
        transitions.Remember(from, 3, 0.5, from, version: 7);
        Assert.True(transitions.TryStep(from, 4, 7, out var raw, out var next));
        Assert.Equal((0.25, to), (raw, next));
        Assert.True(transitions.TryStep(from, 3, 7, out raw, out next));
        Assert.Equal((0.5, from), (raw, next));

        // Another version of the memory: nothing remembered holds. A third step replaces the older of the two.
        Assert.False(transitions.TryStep(from, 4, 8, out _, out _));
        transitions.Remember(from, 2, 0.75, to, version: 7);
        Assert.False(transitions.TryStep(from, 4, 7, out _, out _));
        Assert.True(transitions.TryStep(from, 3, 7, out _, out _));
        Assert.True(transitions.TryStep(from, 2, 7, out _, out _));
        Assert.Equal((3, 0x0006_0001UL), transitions[from]);
    }

    [Fact]
    public void NumbersThatRunOutAreAllDroppedAndGivenAgain()
    {
        var transitions = new ContextTransitions(capacity: 4);
        for (var bin = 0; bin < 4; bin++)
        {
            Assert.Equal(bin, transitions.Number(bin, [1, 2, 3, 4]));
        }

        Assert.Equal(-1, transitions.Number(4, [1, 2, 3, 4]));
        Assert.Equal(0, transitions.Number(5, []));
        Assert.False(transitions.TryStep(0, 5, 0, out _, out _));
        Assert.Equal((5, 0UL), transitions[0]);
    }
}
