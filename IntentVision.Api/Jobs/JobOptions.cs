namespace IntentVision.Api.Jobs;

/// <summary>Settings every background job shares: whether it runs and how often (configuration <c>IntentVision:Jobs:&lt;Name&gt;</c>).</summary>
public class JobOptions
{
    public bool Enabled { get; set; } = true;

    public TimeSpan Interval { get; set; } = TimeSpan.FromMinutes(1);
}
