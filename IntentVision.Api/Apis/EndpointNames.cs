using Microsoft.AspNetCore.Routing;

namespace IntentVision.Api.Apis;

/// <summary>Endpoint names (OpenAPI operation ids, link generation) must be unique, also for an endpoint mapped twice.</summary>
internal static class EndpointNames
{
    /// <summary>A convention that renames an endpoint <c>X</c> to <c>X{suffix}</c>; endpoints without a name stay without.</summary>
    public static Action<EndpointBuilder> AppendSuffix(string suffix) => builder =>
    {
        if (builder.Metadata.OfType<IEndpointNameMetadata>().LastOrDefault() is not { } name)
        {
            return;
        }

        var renamed = name.EndpointName + suffix;
        builder.Metadata.RemoveAll(m => m is IEndpointNameMetadata or IRouteNameMetadata);
        builder.Metadata.Add(new EndpointNameMetadata(renamed));
        builder.Metadata.Add(new RouteNameMetadata(renamed));
    };

    private static void RemoveAll(this IList<object> list, Func<object, bool> match)
    {
        for (var i = list.Count - 1; i >= 0; i--)
        {
            if (match(list[i]))
            {
                list.RemoveAt(i);
            }
        }
    }
}
