namespace IntentVision.Evaluation.Nab;

/// <summary>One data file of a NAB-format corpus: its key ("folder/file.csv") and rows in file order.</summary>
public sealed record NabSeries(string Key, DateTime[] Timestamps, double[] Values)
{
    public string Folder => Key.Contains('/', StringComparison.Ordinal) ? Key[..Key.LastIndexOf('/')] : string.Empty;
}
