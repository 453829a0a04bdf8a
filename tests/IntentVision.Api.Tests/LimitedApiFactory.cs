using Microsoft.AspNetCore.Hosting;

namespace IntentVision.Api.Tests;

/// <summary>The API with limits small enough to reach in a test: 20 requests/s per key, 30 per organization, 800 points/min per key, 1000 per organization.</summary>
public sealed class LimitedApiFactory : ApiFactory
{
    public const int RequestsPerSecondPerKey = 20;
    public const int RequestsPerSecondPerOrganization = 30;
    public const int PointsPerMinutePerKey = 800;
    public const int PointsPerMinutePerOrganization = 1000;

    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        base.ConfigureWebHost(builder);
        builder.UseSetting("IntentVision:Limits:RequestsPerSecondPerKey", RequestsPerSecondPerKey.ToString());
        builder.UseSetting("IntentVision:Limits:RequestsPerSecondPerOrganization", RequestsPerSecondPerOrganization.ToString());
        builder.UseSetting("IntentVision:Limits:IngestPointsPerMinutePerKey", PointsPerMinutePerKey.ToString());
        builder.UseSetting("IntentVision:Limits:IngestPointsPerMinutePerOrganization", PointsPerMinutePerOrganization.ToString());
    }
}
