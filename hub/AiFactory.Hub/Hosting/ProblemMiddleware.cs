using System.Diagnostics;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;

namespace AiFactory.Hub.Hosting;

/// <summary>
/// Turns every failure of a request into its <c>application/problem+json</c> answer: a
/// <see cref="HubProblemException"/> into its status and detail, a request Kestrel or binding refused
/// (<see cref="BadHttpRequestException"/>) into its status, and anything else into a 500 whose detail names the
/// trace id under which the exception is logged (never its text: it may quote internals).
/// </summary>
public sealed partial class ProblemMiddleware(RequestDelegate next, HubMetrics metrics, ILogger<ProblemMiddleware> logger)
{
    public async Task InvokeAsync(HttpContext context)
    {
        try
        {
            await next(context).ConfigureAwait(false);
        }
        catch (HubProblemException ex) when (!context.Response.HasStarted)
        {
            await WriteAsync(context, ex.Status, ex.Title, ex.Message).ConfigureAwait(false);
        }
        catch (BadHttpRequestException ex) when (!context.Response.HasStarted)
        {
            await WriteAsync(context, ex.StatusCode, "Bad request", $"the request was refused: {ex.Message}").ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (context.RequestAborted.IsCancellationRequested)
        {
            // The client went away; nobody reads an answer.
        }
        catch (Exception ex) when (!context.Response.HasStarted)
        {
            var trace = Activity.Current?.Id ?? context.TraceIdentifier;
            LogFailed(logger, ex, context.Request.Method, context.Request.Path.Value ?? string.Empty, trace);
            await WriteAsync(context, 500, "Internal error", $"the hub failed to answer {context.Request.Method} {context.Request.Path}; the error is logged under trace id '{trace}'.").ConfigureAwait(false);
        }
    }

    private async Task WriteAsync(HttpContext context, int status, string title, string detail)
    {
        metrics.Refused(status);
        context.Response.Clear();
        await Results.Problem(detail, statusCode: status, title: title).ExecuteAsync(context).ConfigureAwait(false);
    }

    [LoggerMessage(Level = LogLevel.Error, Message = "{Method} {Path} failed (trace {Trace})")]
    private static partial void LogFailed(ILogger logger, Exception exception, string method, string path, string trace);
}
