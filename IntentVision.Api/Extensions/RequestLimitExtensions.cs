using IntentVision.Api.Ingestion;
using IntentVision.Api.Limits;
using Microsoft.Extensions.Options;

namespace IntentVision.Api.Extensions;

public static class RequestLimitExtensions
{
    /// <summary>
    /// Body sizes (1 MiB unless an endpoint declares more, see <see cref="Infrastructure.RequestBodyLimit"/>), request
    /// rates and ingest quotas per key and organization, configured under <c>IntentVision:Limits</c>.
    /// </summary>
    public static WebApplicationBuilder AddRequestLimits(this WebApplicationBuilder builder)
    {
        builder.WebHost.ConfigureKestrel(o => o.Limits.MaxRequestBodySize = InputRules.MaxOtherBodyBytes);
        builder.Services.AddOptions<LimitsOptions>().BindConfiguration(LimitsOptions.Section);
        builder.Services.AddSingleton<IngestQuota>();
        builder.Services.AddRateLimiter(_ => { });
        builder.Services.AddOptions<Microsoft.AspNetCore.RateLimiting.RateLimiterOptions>()
            .Configure<IOptions<LimitsOptions>>((options, limits) => RequestRateLimits.Configure(options, limits.Value));
        return builder;
    }
}
