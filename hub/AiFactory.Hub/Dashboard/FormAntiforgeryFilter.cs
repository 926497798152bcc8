using AiFactory.Hub.Hosting;
using Microsoft.AspNetCore.Antiforgery;
using Microsoft.AspNetCore.Http;

namespace AiFactory.Hub.Dashboard;

/// <summary>
/// Checks a dashboard form's antiforgery token itself, so that a forged or stale form is refused with a 400 problem
/// that says why (the framework's own check answers a bare 400).
/// </summary>
public sealed class FormAntiforgeryFilter(IAntiforgery antiforgery) : IEndpointFilter
{
    public async ValueTask<object?> InvokeAsync(EndpointFilterInvocationContext context, EndpointFilterDelegate next)
    {
        try
        {
            await antiforgery.ValidateRequestAsync(context.HttpContext).ConfigureAwait(false);
        }
        catch (AntiforgeryValidationException ex)
        {
            throw HubProblemException.BadRequest($"form {context.HttpContext.Request.Path} was refused: {ex.Message} Reload the page and send it again.");
        }

        return await next(context).ConfigureAwait(false);
    }
}
