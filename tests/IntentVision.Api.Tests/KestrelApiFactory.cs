using Microsoft.AspNetCore.Hosting;
using Microsoft.Extensions.Logging;

namespace IntentVision.Api.Tests;

/// <summary>
/// The API on a real Kestrel server on loopback (the in-memory test server enforces no body size and writes no
/// connection logs), logging everything at Trace, the framework's request logging included.
/// </summary>
public sealed class KestrelApiFactory : ApiFactory
{
    public KestrelApiFactory() => UseKestrel(0);

    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        base.ConfigureWebHost(builder);
        builder.UseSetting("Logging:LogLevel:Default", "Trace");
        builder.UseSetting("Logging:LogLevel:Microsoft", "Trace");
        builder.UseSetting("Logging:LogLevel:Microsoft.AspNetCore", "Trace");
        builder.ConfigureLogging(logging => logging.SetMinimumLevel(LogLevel.Trace));
    }
}
