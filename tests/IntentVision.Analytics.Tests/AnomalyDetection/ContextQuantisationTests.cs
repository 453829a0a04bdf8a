using IntentVision.Analytics.AnomalyDetection;

namespace IntentVision.Analytics.Tests.AnomalyDetection;

public sealed class ContextQuantisationTests
{
    [Fact]
    public void WithoutBaggingThereIsOneUnshiftedGrid()
    {
        Assert.Equal([new ContextQuantisation(4, 0)], ContextQuantisation.For(AnomalyDetectorOptions.Default with { ContextBagging = ContextBagging.None }));
    }

    [Fact]
    public void TheDefaultIsTwoGridsHalfABinApart()
    {
        Assert.Equal([new(4, 0), new(4, 0.5)], ContextQuantisation.For(AnomalyDetectorOptions.Default));
    }

    [Fact]
    public void ShiftedEdgesSpreadTheShiftsEvenlyOverOneBin()
    {
        var options = AnomalyDetectorOptions.Default with { ContextBagging = ContextBagging.ShiftedEdges, ContextBagSize = 4 };
        Assert.Equal([new(4, 0), new(4, 0.25), new(4, 0.5), new(4, 0.75)], ContextQuantisation.For(options));
    }

    [Fact]
    public void NeighbouringBitsStayWithinTheValidRangeAndPutTheChosenBitsFirst()
    {
        var options = AnomalyDetectorOptions.Default with { ContextBagging = ContextBagging.NeighbouringBits, ContextBagSize = 3 };
        Assert.Equal([new(4, 0), new(3, 0), new(5, 0)], ContextQuantisation.For(options));
        Assert.Equal([new(1, 0), new(2, 0)], ContextQuantisation.For(options with { ContextBits = 1 }));
        Assert.Equal([new(8, 0), new(7, 0)], ContextQuantisation.For(options with { ContextBits = 8 }));
    }

    [Fact]
    public void AShiftedGridMovesAValueNearAnEdgeButNotTheEnds()
    {
        // 16 bins of [0, 16]: 7.9 is in bin 7 of the plain grid and, its edges half a bin lower, bin 8 of the shifted one.
        var plain = new ContextQuantisation(4, 0);
        var shifted = new ContextQuantisation(4, 0.5);
        Assert.Equal(7, plain.Bin(7.9, 0, 16));
        Assert.Equal(8, shifted.Bin(7.9, 0, 16));
        Assert.Equal(7, shifted.Bin(7.2, 0, 16));
        Assert.Equal(0, shifted.Bin(0, 0, 16));
        Assert.Equal(15, shifted.Bin(16, 0, 16));
        Assert.Equal(15, plain.Bin(16, 0, 16));
        Assert.Equal(0, shifted.Bin(5, 5, 0));
    }
}
