using IntentVision.Api.Auth;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.Extensions.Options;

namespace IntentVision.Api.Events;

/// <summary>The organization's events as server-sent events, for dashboards that update without polling.</summary>
public static class EventsApi
{
    public static RouteGroupBuilder MapEventsApi(this IEndpointRouteBuilder app)
    {
        var api = app.MapGroup("/events").WithTags("Events");
        api.MapGet("/", StreamEvents).WithName("StreamEvents").RequireAuthorization(Scopes.MetricsRead)
            .WithSummary("Stream the organization's events (server-sent events)")
            .WithDescription("text/event-stream of anomaly.detected (seriesId, count, latestTimestamp), alert.changed (alertId, ruleId, seriesId, state) and resync (the reader fell behind and events were dropped: reload). A comment line every 15 s keeps the connection open. The organization comes from the key; the platform admin key names one with the X-IntentVision-Organization header.")
            .Produces(StatusCodes.Status200OK, contentType: "text/event-stream");
        return api;
    }

    public static Results<EventStreamResult, ProblemHttpResult> StreamEvents(Tenant tenant, EventBroadcaster events, IOptions<EventStreamOptions> options, TimeProvider time)
    {
        if (events.TrySubscribe(tenant.OrganizationId) is not { } subscription)
        {
            return TypedResults.Problem(
                statusCode: StatusCodes.Status503ServiceUnavailable,
                title: "Too many event streams are open.",
                detail: "Poll the API instead, or retry later.");
        }

        return new EventStreamResult(subscription, options.Value.HeartbeatInterval, time);
    }
}
