using System.Data.Common;
using AiFactory.Hub.Hosting;
using AiFactory.Hub.Storage;
using Dapper;

namespace AiFactory.Hub.Alarms;

/// <summary>
/// Alarm rules and alarms in SQL: written when a rule changes, an alarm raises, clears or is acknowledged (never per
/// uplink). Each alarm change writes its notices to the <see cref="AlarmOutbox"/> in the same transaction.
/// </summary>
public sealed class AlarmStore(HubDatabase database, AlarmOutbox outbox, TimeProvider time)
{
    private const string RuleColumns = "id, company_id, plant_id, line_id, station_id, kind, threshold, clear_threshold, for_minutes, enabled";

    private const string AlarmColumns =
        "id, rule_id, company_id, plant_id, line_id, station_id, kind, threshold, raised_utc, raised_value, cleared_utc, cleared_value, acked_utc, acked_by, ack_comment";

    public async Task SaveRuleAsync(AlarmRule rule, string by, CancellationToken ct)
    {
        await using var c = await database.OpenAsync(ct).ConfigureAwait(false);
        var args = new
        {
            id = rule.Id, company = rule.CompanyId, plant = rule.PlantId, line = rule.LineId, station = rule.StationId, kind = AlarmKinds.Name(rule.Kind),
            threshold = rule.Threshold, clear = rule.ClearThreshold, minutes = rule.ForMinutes, enabled = rule.Enabled ? 1L : 0L,
            t = time.GetUtcNow().ToUnixTimeMilliseconds(), by,
        };
        var updated = await c.ExecuteAsync(
            """
            UPDATE alarm_rules SET plant_id = @plant, line_id = @line, station_id = @station, kind = @kind, threshold = @threshold,
                clear_threshold = @clear, for_minutes = @minutes, enabled = @enabled, updated_utc = @t, updated_by = @by
            WHERE id = @id AND company_id = @company
            """, args).ConfigureAwait(false);
        if (updated == 0)
        {
            await c.ExecuteAsync(
                $"INSERT INTO alarm_rules ({RuleColumns}, updated_utc, updated_by) VALUES (@id, @company, @plant, @line, @station, @kind, @threshold, @clear, @minutes, @enabled, @t, @by)",
                args).ConfigureAwait(false);
        }
    }

    public async Task<bool> DeleteRuleAsync(string company, string id, CancellationToken ct)
    {
        await using var c = await database.OpenAsync(ct).ConfigureAwait(false);
        return await c.ExecuteAsync("DELETE FROM alarm_rules WHERE id = @id AND company_id = @company", new { id, company }).ConfigureAwait(false) > 0;
    }

    public async Task<AlarmRule?> RuleAsync(string id, CancellationToken ct)
    {
        var rules = await RulesAsync("id = @id", new { id }, ct).ConfigureAwait(false);
        return rules.Count == 0 ? null : rules[0];
    }

    public Task<IReadOnlyList<AlarmRule>> RulesAsync(string company, CancellationToken ct) => RulesAsync("company_id = @company", new { company }, ct);

    public Task<IReadOnlyList<AlarmRule>> EnabledRulesAsync(CancellationToken ct) => RulesAsync("enabled = 1", new { }, ct);

    /// <summary>The open alarm of a rule, if one is.</summary>
    public async Task<AlarmRecord?> OpenAsync(string ruleId, CancellationToken ct)
    {
        var rows = await AlarmsAsync("rule_id = @ruleId AND cleared_utc IS NULL", new { ruleId }, 1, ct).ConfigureAwait(false);
        return rows.Count == 0 ? null : rows[0];
    }

    /// <summary>A company's alarms, newest first: active ones, cleared ones or both.</summary>
    public Task<IReadOnlyList<AlarmRecord>> ListAsync(string company, bool? active, int limit, CancellationToken ct) =>
        AlarmsAsync(
            active switch { true => "company_id = @company AND cleared_utc IS NULL", false => "company_id = @company AND cleared_utc IS NOT NULL", _ => "company_id = @company" },
            new { company }, limit, ct);

    public async Task<AlarmRecord?> AlarmAsync(string company, string id, CancellationToken ct)
    {
        var rows = await AlarmsAsync("company_id = @company AND id = @id", new { company, id }, 1, ct).ConfigureAwait(false);
        return rows.Count == 0 ? null : rows[0];
    }

    /// <summary>Opens an alarm for the rule; the one already open if there is one (a second silo raced this one).</summary>
    public async Task<(AlarmRecord Alarm, bool Raised)> RaiseAsync(AlarmRule rule, double value, CancellationToken ct)
    {
        var alarm = new AlarmRecord(
            Guid.NewGuid().ToString("N"), rule.Id, rule.CompanyId, rule.PlantId, rule.LineId, rule.StationId, AlarmKinds.Name(rule.Kind), rule.Threshold,
            Truncated(time.GetUtcNow()), value, null, null, null, null, null);
        try
        {
            await database.WriteAsync(
                async (c, tx) =>
                {
                    await c.ExecuteAsync(
                        $"INSERT INTO alarms ({AlarmColumns}) VALUES (@Id, @RuleId, @CompanyId, @PlantId, @LineId, @StationId, @Kind, @Threshold, @raised, @RaisedValue, NULL, NULL, NULL, NULL, NULL)",
                        new { alarm.Id, alarm.RuleId, alarm.CompanyId, alarm.PlantId, alarm.LineId, alarm.StationId, alarm.Kind, alarm.Threshold, raised = alarm.RaisedUtc.ToUnixTimeMilliseconds(), alarm.RaisedValue },
                        tx).ConfigureAwait(false);
                    await outbox.AddAsync(c, tx, "raised", alarm, alarm.RaisedUtc).ConfigureAwait(false);
                    return 1;
                },
                ct).ConfigureAwait(false);
            outbox.Added();
            return (alarm, true);
        }
        catch (DbException ex) when (ex.SqlState == "23505" || ex.Message.Contains("UNIQUE constraint failed", StringComparison.Ordinal))
        {
            return (await OpenAsync(rule.Id, ct).ConfigureAwait(false) ?? throw new InvalidOperationException($"alarm rule '{rule.Id}': an open alarm blocked the insert and then vanished."), false);
        }
    }

    /// <summary>Clears the rule's open alarm; null when none was open.</summary>
    public async Task<AlarmRecord?> ClearAsync(string ruleId, double? value, CancellationToken ct)
    {
        var open = await OpenAsync(ruleId, ct).ConfigureAwait(false);
        if (open is null)
        {
            return null;
        }

        var now = Truncated(time.GetUtcNow());
        var cleared = open with { ClearedUtc = now, ClearedValue = value };
        var changed = await database.WriteAsync(
            async (c, tx) =>
            {
                var n = await c.ExecuteAsync(
                    "UPDATE alarms SET cleared_utc = @t, cleared_value = @value WHERE id = @id AND cleared_utc IS NULL",
                    new { t = now.ToUnixTimeMilliseconds(), value, id = open.Id }, tx).ConfigureAwait(false);
                if (n > 0)
                {
                    await outbox.AddAsync(c, tx, "cleared", cleared, now).ConfigureAwait(false);
                }

                return n;
            },
            ct).ConfigureAwait(false);
        if (changed == 0)
        {
            return null; // another silo cleared it between the read and the update, and wrote its notice
        }

        outbox.Added();
        return cleared;
    }

    /// <summary>Records who acknowledged an alarm, when and why; refuses one already acknowledged (409).</summary>
    public async Task<AlarmRecord> AcknowledgeAsync(string company, string id, string by, string comment, CancellationToken ct)
    {
        var alarm = await AlarmAsync(company, id, ct).ConfigureAwait(false) ?? throw HubProblemException.NotFound($"alarm '{id}' does not exist in company '{company}'.");
        var now = Truncated(time.GetUtcNow());
        var acknowledged = alarm with { AckedUtc = now, AckedBy = by, AckComment = comment };
        var changed = await database.WriteAsync(
            async (c, tx) =>
            {
                var n = await c.ExecuteAsync(
                    "UPDATE alarms SET acked_utc = @t, acked_by = @by, ack_comment = @comment WHERE id = @id AND acked_utc IS NULL",
                    new { t = now.ToUnixTimeMilliseconds(), by, comment, id }, tx).ConfigureAwait(false);
                if (n > 0)
                {
                    await outbox.AddAsync(c, tx, "acknowledged", acknowledged, now).ConfigureAwait(false);
                }

                return n;
            },
            ct).ConfigureAwait(false);
        if (changed == 0)
        {
            var acked = await AlarmAsync(company, id, ct).ConfigureAwait(false);
            throw HubProblemException.Conflict($"alarm '{id}' was already acknowledged by {acked?.AckedBy} at {acked?.AckedUtc:O}.");
        }

        outbox.Added();
        return acknowledged;
    }

    private static DateTimeOffset Truncated(DateTimeOffset t) => DateTimeOffset.FromUnixTimeMilliseconds(t.ToUnixTimeMilliseconds());

    private async Task<IReadOnlyList<AlarmRule>> RulesAsync(string where, object args, CancellationToken ct)
    {
        await using var c = await database.OpenAsync(ct).ConfigureAwait(false);
        var rows = await c.QueryAsync<(string Id, string Company, string Plant, string Line, string? Station, string Kind, double Threshold, double Clear, double Minutes, long Enabled)>(
            $"SELECT {RuleColumns} FROM alarm_rules WHERE {where} ORDER BY id", args).ConfigureAwait(false);
        var rules = new List<AlarmRule>();
        foreach (var r in rows)
        {
            if (AlarmKinds.TryParse(r.Kind, out var kind))
            {
                rules.Add(new AlarmRule(r.Id, r.Company, r.Plant, r.Line, r.Station, kind, r.Threshold, r.Clear, r.Minutes, r.Enabled != 0));
            }
        }

        return rules;
    }

    private async Task<IReadOnlyList<AlarmRecord>> AlarmsAsync(string where, object args, int limit, CancellationToken ct)
    {
        await using var c = await database.OpenAsync(ct).ConfigureAwait(false);
        var rows = await c.QueryAsync<(string Id, string Rule, string Company, string Plant, string Line, string? Station, string Kind, double Threshold,
            long Raised, double RaisedValue, long? Cleared, double? ClearedValue, long? Acked, string? AckedBy, string? AckComment)>(
            $"SELECT {AlarmColumns} FROM alarms WHERE {where} ORDER BY raised_utc DESC, id LIMIT {limit}", args).ConfigureAwait(false);
        return rows.Select(r => new AlarmRecord(
            r.Id, r.Rule, r.Company, r.Plant, r.Line, r.Station, r.Kind, r.Threshold, DateTimeOffset.FromUnixTimeMilliseconds(r.Raised), r.RaisedValue,
            Time(r.Cleared), r.ClearedValue, Time(r.Acked), r.AckedBy, r.AckComment)).ToList();
    }

    private static DateTimeOffset? Time(long? ms) => ms is { } v ? DateTimeOffset.FromUnixTimeMilliseconds(v) : null;
}
