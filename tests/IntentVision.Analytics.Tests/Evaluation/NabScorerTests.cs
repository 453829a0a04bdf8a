using IntentVision.Evaluation.Nab;

namespace IntentVision.Analytics.Tests.Evaluation;

/// <summary>Small cases worked out by hand from the NAB rules.</summary>
public sealed class NabScorerTests
{
    private static readonly DateTime T0 = new(2024, 1, 1, 0, 0, 0, DateTimeKind.Utc);

    /// <summary>100 rows (probation: the first 15), one window over rows 50..59.</summary>
    private static NabFile File(params int[] detections)
    {
        var timestamps = Enumerable.Range(0, 100).Select(i => T0.AddMinutes(i)).ToArray();
        var scores = new double[100];
        foreach (var d in detections)
        {
            scores[d] = 1;
        }

        return new NabFile("f.csv", timestamps, scores, [new NabWindow(T0.AddMinutes(50), T0.AddMinutes(59))]);
    }

    [Fact]
    public void DetectionAtTheWindowStartScoresOne()
    {
        var (raw, tp, fp, fn) = NabScorer.ScoreFile(File(50), NabProfile.Standard, 0.5);
        Assert.Equal(1.0, raw, 12);
        Assert.Equal((1, 0, 0), (tp, fp, fn));
    }

    [Fact]
    public void OnlyTheEarliestDetectionInAWindowCounts()
    {
        var (early, _, _, _) = NabScorer.ScoreFile(File(50, 55), NabProfile.Standard, 0.5);
        var (late, _, _, _) = NabScorer.ScoreFile(File(55), NabProfile.Standard, 0.5);
        Assert.Equal(1.0, early, 12);

        // Row 55 of 50..59: s(-(59-55+1)/10) / s(-1) = s(-0.5) / s(-1).
        var expected = NabScorer.ScaledSigmoid(-0.5) / NabScorer.ScaledSigmoid(-1);
        Assert.Equal(expected, late, 12);
    }

    [Fact]
    public void MissedWindowScoresMinusFalseNegativeWeight()
    {
        Assert.Equal(-1.0, NabScorer.ScoreFile(File(), NabProfile.Standard, 0.5).Raw, 12);
        Assert.Equal(-2.0, NabScorer.ScoreFile(File(), NabProfile.RewardLowFalseNegatives, 0.5).Raw, 12);
    }

    [Fact]
    public void FalsePositiveRightAfterAWindowCostsLessThanOneFarFromIt()
    {
        var (near, _, nearFp, _) = NabScorer.ScoreFile(File(50, 61), NabProfile.Standard, 0.5);
        var (far, _, farFp, _) = NabScorer.ScoreFile(File(50, 95), NabProfile.Standard, 0.5);
        Assert.Equal((1, 1), (nearFp, farFp));
        Assert.True(near > far);

        // Row 61: |59 - 61| / (10 - 1) = 2/9 after the window; row 95 is 36/9 = 4 > 3, the full -A_FP.
        Assert.Equal(1 + (0.11 * NabScorer.ScaledSigmoid(2.0 / 9)), near, 12);
        Assert.Equal(1 - 0.11, far, 12);
    }

    [Fact]
    public void FalsePositiveBeforeAnyWindowCostsTheFullWeight()
    {
        Assert.Equal(-1 - 0.22, NabScorer.ScoreFile(File(20), NabProfile.RewardLowFalsePositives, 0.5).Raw, 12);
    }

    [Fact]
    public void DetectionsInTheProbationaryPeriodAreIgnored()
    {
        Assert.Equal(15, NabScorer.ProbationaryRows(100));
        Assert.Equal(750, NabScorer.ProbationaryRows(10_000));
        Assert.Equal(-1.0, NabScorer.ScoreFile(File(3), NabProfile.Standard, 0.5).Raw, 12);
    }

    [Fact]
    public void NormalisationGivesZeroForTheNullDetectorAndHundredForAPerfectOne()
    {
        var nullScore = NabScorer.Score([File(), File()], NabProfile.Standard);
        Assert.Equal(0, nullScore.NormalisedScore, 9);
        var perfect = NabScorer.Score([File(50), File(50)], NabProfile.Standard);
        Assert.Equal(100, perfect.NormalisedScore, 9);
    }

    [Fact]
    public void SweepPicksTheThresholdThatSeparatesWindowFromNoise()
    {
        var timestamps = Enumerable.Range(0, 100).Select(i => T0.AddMinutes(i)).ToArray();
        var scores = new double[100];
        scores[30] = 0.6;
        scores[50] = 0.8;
        scores[70] = 0.7;
        var file = new NabFile("f.csv", timestamps, scores, [new NabWindow(T0.AddMinutes(50), T0.AddMinutes(59))]);
        var result = NabScorer.Score([file], NabProfile.Standard);
        Assert.Equal(0.8, result.Threshold);
        Assert.Equal(100, result.NormalisedScore, 9);
    }
}
