using AiFactory.Contracts;
using Microsoft.AspNetCore.Http;

namespace AiFactory.Hub.Hosting;

/// <summary>
/// Refuses (400) a request whose route names a company, plant, line, station, edge or key by something that is not an
/// id, before any handler quotes it in a query, a problem or a log line.
/// </summary>
public sealed class RouteIdFilter : IEndpointFilter
{
    private static readonly string[] IdRouteValues = ["company", "plant", "line", "station", "edge", "keyId"];

    public ValueTask<object?> InvokeAsync(EndpointFilterInvocationContext context, EndpointFilterDelegate next)
    {
        var values = context.HttpContext.Request.RouteValues;
        foreach (var name in IdRouteValues)
        {
            if (values.TryGetValue(name, out var value) && EntityId.Problem($"path {name}", value as string) is { } problem)
            {
                throw HubProblemException.BadRequest(problem);
            }
        }

        return next(context);
    }
}
