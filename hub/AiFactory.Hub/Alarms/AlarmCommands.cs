using AiFactory.Hub.Auth;
using AiFactory.Hub.Hosting;
using AiFactory.Hub.Tenancy;

namespace AiFactory.Hub.Alarms;

/// <summary>
/// What the API and the dashboard's forms change about alarms, with the same checks for both: rules are a company
/// admin's (or hub admin's), acknowledgements a plant engineer's or admin's, each within the caller's company.
/// </summary>
public sealed class AlarmCommands(AlarmStore store, TenancyStore tenancy, IGrainFactory grains)
{
    /// <summary>The longest acknowledgement comment kept.</summary>
    public const int MaxCommentLength = 500;

    public async Task<AlarmRule> SaveRuleAsync(HubCaller caller, string company, string? id, AlarmRuleRequest body, CancellationToken ct)
    {
        caller.RequireAdmin(company);
        if (id is not null && (await store.RuleAsync(id, ct).ConfigureAwait(false))?.CompanyId != company)
        {
            throw HubProblemException.NotFound($"alarm rule '{id}' does not exist in company '{company}'.");
        }

        var rule = AlarmRuleValidator.Validate(id ?? Guid.NewGuid().ToString("N")[..12], company, body);
        if (!await tenancy.ScopeExistsAsync(company, rule.PlantId, rule.LineId, rule.StationId, ct).ConfigureAwait(false))
        {
            throw HubProblemException.NotFound($"{rule.Scope.Describe()} does not exist in company '{company}'.");
        }

        await store.SaveRuleAsync(rule, Who(caller), ct).ConfigureAwait(false);
        await grains.GetGrain<IAlarmGrain>(rule.Id).ReloadAsync().ConfigureAwait(false);
        return rule;
    }

    public async Task DeleteRuleAsync(HubCaller caller, string company, string id, CancellationToken ct)
    {
        caller.RequireAdmin(company);
        if (!await store.DeleteRuleAsync(company, id, ct).ConfigureAwait(false))
        {
            throw HubProblemException.NotFound($"alarm rule '{id}' does not exist in company '{company}'.");
        }

        await grains.GetGrain<IAlarmGrain>(id).ReloadAsync().ConfigureAwait(false);
    }

    public async Task<AlarmRecord> AcknowledgeAsync(HubCaller caller, string company, string id, string? comment, CancellationToken ct)
    {
        caller.RequireRead(company);
        if (caller.Role is not (HubRole.PlantEngineer or HubRole.CompanyAdmin or HubRole.HubAdmin))
        {
            throw HubProblemException.Forbidden($"role '{HubRoles.Name(caller.Role)}' may not acknowledge alarms; a plant-engineer or company-admin key is needed.");
        }

        var text = comment?.Trim() ?? string.Empty;
        if (text.Length is 0 or > MaxCommentLength)
        {
            throw HubProblemException.BadRequest($"acknowledgement field 'comment' {(text.Length == 0 ? "is missing" : $"has {text.Length} characters")}: say why, in 1 to {MaxCommentLength} characters.");
        }

        return await store.AcknowledgeAsync(company, id, Who(caller), text, ct).ConfigureAwait(false);
    }

    private static string Who(HubCaller caller) => $"key {caller.KeyId} ({HubRoles.Name(caller.Role)})";
}
