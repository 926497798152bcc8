namespace AiFactory.Hub.Audit;

/// <summary>One admin change as stored in <c>audit_log</c>.</summary>
/// <param name="Id">Unique id of the entry.</param>
/// <param name="TimeUtc">When the change was committed.</param>
/// <param name="Who">Who made it (<see cref="AuditActor.Who"/>).</param>
/// <param name="Via">Through what (<see cref="AuditActor.Via"/>).</param>
/// <param name="Action">What was done: <c>company.create</c>, <c>plant.create</c>, <c>line.create</c>, <c>station.create</c>, <c>edge.create</c>, <c>key.create</c>, <c>key.revoke</c>.</param>
/// <param name="CompanyId">The company it touched; null for hub-wide objects (hub-admin keys).</param>
/// <param name="Target">The object, as a path (<c>acme/plant-1/line-1</c>, <c>key 3fa2…</c>).</param>
/// <param name="OldValue">What it was before (JSON), where a change replaced something.</param>
/// <param name="NewValue">What it is now (JSON); never a key's secret.</param>
public sealed record AuditEntry(
    string Id, DateTimeOffset TimeUtc, string Who, string Via, string Action, string? CompanyId, string Target, string? OldValue, string? NewValue);
