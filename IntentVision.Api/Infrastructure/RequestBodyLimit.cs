using Microsoft.AspNetCore.Http.Metadata;

namespace IntentVision.Api.Infrastructure;

/// <summary>
/// The largest request body an endpoint accepts, as endpoint metadata. Routing hands it to the server
/// (<c>IHttpMaxRequestBodySizeFeature</c>) when the endpoint is matched, so Kestrel refuses a larger body, declared
/// or chunked, with a 413 that the exception mapping turns into problem details. The innermost declaration wins.
/// </summary>
public sealed record RequestBodyLimit(long? MaxRequestBodySize) : IRequestSizeLimitMetadata;

public static class RequestBodyLimitExtensions
{
    public static TBuilder WithRequestBodyLimit<TBuilder>(this TBuilder builder, long bytes)
        where TBuilder : IEndpointConventionBuilder
        => builder.WithMetadata(new RequestBodyLimit(bytes));
}
