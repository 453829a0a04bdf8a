using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Mvc;

namespace IntentVision.Api.Infrastructure;

/// <summary>
/// Handlers answer errors with typed results such as <c>NotFound&lt;ProblemDetails&gt;</c>, which the framework writes
/// as <c>application/json</c>. This filter hands every such problem to the problem details writer instead, so each
/// error carries <c>application/problem+json</c> and the same defaults (type, trace id) as every other problem.
/// </summary>
internal sealed class ProblemResultFilter : IEndpointFilter
{
    public async ValueTask<object?> InvokeAsync(EndpointFilterInvocationContext context, EndpointFilterDelegate next)
    {
        var result = await next(context);
        var inner = result;
        while (inner is INestedHttpResult nested)
        {
            inner = nested.Result;
        }

        return inner is IValueHttpResult { Value: ProblemDetails problem } and IStatusCodeHttpResult { StatusCode: { } status } and not (ProblemHttpResult or ValidationProblem)
            ? TypedResults.Problem(WithStatus(problem, status))
            : result;
    }

    private static ProblemDetails WithStatus(ProblemDetails problem, int status)
    {
        problem.Status ??= status;
        return problem;
    }
}
