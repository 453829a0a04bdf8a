using System.Text.Json.Serialization;
using IntentVision.Api.Infrastructure;
using IntentVision.Api.Ingestion;

namespace IntentVision.Api.Extensions;

public static class ProblemDetailsExtensions
{
    /// <summary>
    /// Every error is RFC 7807 problem details (<c>application/problem+json</c>): the framework's own answers, the
    /// exceptions <see cref="ApiExceptionHandler"/> maps, and requests the framework cannot bind.
    /// </summary>
    public static IHostApplicationBuilder AddApiProblemDetails(this IHostApplicationBuilder builder)
    {
        builder.Services.AddProblemDetails();
        builder.Services.AddExceptionHandler<ApiExceptionHandler>();

        // Binding failures (malformed JSON, wrong types) are thrown in every environment so the handler above can
        // answer with problem details that name the field, instead of a bare 400.
        builder.Services.Configure<RouteHandlerOptions>(o => o.ThrowOnBadRequest = true);
        builder.Services.ConfigureHttpJsonOptions(o =>
        {
            o.SerializerOptions.Converters.Add(new JsonStringEnumConverter());
            o.SerializerOptions.Converters.Add(new OffsetRequiredDateTimeOffsetConverter());
            o.SerializerOptions.Converters.Add(new FiniteDoubleConverter());
        });
        return builder;
    }
}
