namespace IntentVision.Analytics.AnomalyDetection;

/// <summary>
/// The detector's verdict on one point, from the points before it only: the score in [0, 1], the value it expected
/// and the robust standard deviation it judged by (0 while it has not seen enough), and which evidence decided.
/// </summary>
internal readonly record struct PointAssessment(double Score, double Expected, double Scale, AnomalyEvidence Evidence);
