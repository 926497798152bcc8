using AiFactory.Hub.Auth;
using AiFactory.Hub.Hosting;
using AiFactory.Hub.Queries;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;

namespace AiFactory.Hub.Alarms;

/// <summary>
/// The alarm API of a company (docs/hub-api.md, "Dashboard and alarms"): rules (read: any reader; change: company
/// admin), alarms active and cleared (read), their notices' delivery counts (read), acknowledgement (plant engineer or admin).
/// </summary>
public static class AlarmEndpoints
{
    public static IEndpointRouteBuilder MapAlarms(this IEndpointRouteBuilder routes)
    {
        var c = routes.MapGroup("/api/v1/companies/{company}").RequireAuthorization().AddEndpointFilter<RouteIdFilter>();
        c.MapGet("/alarm-rules", async (HttpContext h, string company, AlarmStore store) =>
        {
            h.RequireRead(company);
            return Results.Ok((await store.RulesAsync(company, h.RequestAborted).ConfigureAwait(false)).Select(AlarmRuleView.Of));
        });
        c.MapPost("/alarm-rules", async (HttpContext h, string company, AlarmRuleRequest body, AlarmCommands commands) =>
        {
            var rule = await commands.SaveRuleAsync(h.Caller(), company, null, body, h.RequestAborted).ConfigureAwait(false);
            return Results.Created($"/api/v1/companies/{company}/alarm-rules/{rule.Id}", AlarmRuleView.Of(rule));
        });
        c.MapPut("/alarm-rules/{id}", async (HttpContext h, string company, string id, AlarmRuleRequest body, AlarmCommands commands) =>
            Results.Ok(AlarmRuleView.Of(await commands.SaveRuleAsync(h.Caller(), company, id, body, h.RequestAborted).ConfigureAwait(false))));
        c.MapDelete("/alarm-rules/{id}", async (HttpContext h, string company, string id, AlarmCommands commands) =>
        {
            await commands.DeleteRuleAsync(h.Caller(), company, id, h.RequestAborted).ConfigureAwait(false);
            return Results.NoContent();
        });
        c.MapGet("/alarms", async (HttpContext h, string company, AlarmStore store) =>
        {
            h.RequireRead(company);
            var state = h.Request.Query["state"].ToString();
            bool? active = state switch
            {
                "" or "all" => null,
                "active" => true,
                "cleared" => false,
                _ => throw HubProblemException.BadRequest($"query parameter 'state' '{state}' is not one of: active, cleared, all."),
            };
            var limit = QueryParameters.Int(h.Request.Query, "limit", 200, 1, 10_000);
            return Results.Ok(await store.ListAsync(company, active, limit, h.RequestAborted).ConfigureAwait(false));
        });
        c.MapGet("/alarm-notices", async (HttpContext h, string company, AlarmOutbox outbox) =>
        {
            h.RequireRead(company);
            return Results.Ok(await outbox.CountsAsync(company, h.RequestAborted).ConfigureAwait(false));
        });
        c.MapPost("/alarms/{id}/ack", async (HttpContext h, string company, string id, AlarmAck body, AlarmCommands commands) =>
            Results.Ok(await commands.AcknowledgeAsync(h.Caller(), company, id, body.Comment, h.RequestAborted).ConfigureAwait(false)));
        return routes;
    }
}
