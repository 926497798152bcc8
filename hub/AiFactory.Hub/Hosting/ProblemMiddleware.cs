using Microsoft.AspNetCore.Http;

namespace AiFactory.Hub.Hosting;

/// <summary>Turns a <see cref="HubProblemException"/> from any endpoint into its problem response.</summary>
public sealed class ProblemMiddleware(RequestDelegate next, HubMetrics metrics)
{
    public async Task InvokeAsync(HttpContext context)
    {
        try
        {
            await next(context).ConfigureAwait(false);
        }
        catch (HubProblemException ex) when (!context.Response.HasStarted)
        {
            metrics.Refused(ex.Status);
            context.Response.Clear();
            await Results.Problem(ex.Message, statusCode: ex.Status, title: ex.Title).ExecuteAsync(context).ConfigureAwait(false);
        }
    }
}
