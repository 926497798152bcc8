using System.Data.Common;
using System.Text.Json;
using AiFactory.Hub.Storage;
using Dapper;
using Microsoft.Extensions.Options;

namespace AiFactory.Hub.Alarms;

/// <summary>
/// The durable outbox of alarm notices (<c>alarm_notices</c>): a row per notice and target, written in the transaction
/// that raises, clears or acknowledges the alarm, so a notice exists exactly when its change does and survives a
/// restart. <see cref="AlarmDelivery"/> takes each target's oldest waiting notice, claims it (one silo at a time), sends
/// it and records the outcome.
/// </summary>
public sealed class AlarmOutbox(HubDatabase database, IOptions<AlarmOptions> options)
{
    public const string Webhook = "webhook";

    public const string Mqtt = "mqtt";

    private const string Columns = "n.seq, n.id, n.target, n.alarm_id, a.company_id, a.plant_id, a.line_id, a.station_id, n.event, n.body, n.attempts, n.next_utc, n.claimed_until";

    private const string Waiting = "delivered_utc IS NULL AND failed_utc IS NULL";

    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web);

    private TaskCompletionSource _added = new(TaskCreationOptions.RunContinuationsAsynchronously);

    /// <summary>The targets this hub is configured for; notices are written for these.</summary>
    public IReadOnlyList<string> Targets { get; } =
        [.. options.Value.WebhookUrl is null ? Array.Empty<string>() : [Webhook], .. options.Value.MqttHost is null ? Array.Empty<string>() : [Mqtt]];

    /// <summary>Writes the notice of <paramref name="alarm"/>'s change for every target, inside the change's transaction.</summary>
    public async Task AddAsync(DbConnection connection, DbTransaction transaction, string @event, AlarmRecord alarm, DateTimeOffset at)
    {
        if (Targets.Count == 0)
        {
            return;
        }

        var notice = new AlarmNotice(Guid.NewGuid().ToString("N"), @event, alarm);
        var body = JsonSerializer.Serialize(notice, Json);
        foreach (var target in Targets)
        {
            await connection.ExecuteAsync(
                """
                INSERT INTO alarm_notices (id, target, alarm_id, company_id, event, body, created_utc, attempts, next_utc)
                VALUES (@id, @target, @alarm, @company, @event, @body, @t, 0, 0)
                """,
                new { id = notice.Id, target, alarm = alarm.Id, company = alarm.CompanyId, @event, body, t = at.ToUnixTimeMilliseconds() },
                transaction).ConfigureAwait(false);
        }
    }

    /// <summary>Tells the delivery loops of this process that notices were committed (others find them by polling).</summary>
    public void Added() => Interlocked.Exchange(ref _added, new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously)).TrySetResult();

    /// <summary>A task that completes at the next <see cref="Added"/>; take it before looking, so no notice slips between.</summary>
    public Task NextAdded() => Volatile.Read(ref _added).Task;

    /// <summary>The target's oldest notice not yet delivered nor given up (whoever holds it), or null.</summary>
    public async Task<OutboxNotice?> OldestWaitingAsync(string target, CancellationToken ct)
    {
        await using var c = await database.OpenAsync(ct).ConfigureAwait(false);
        var row = await c.QueryFirstOrDefaultAsync<(long Seq, string Id, string Target, string Alarm, string Company, string Plant, string Line, string? Station,
            string Event, string Body, long Attempts, long Next, long? Claimed)>(
            $"SELECT {Columns} FROM alarm_notices n JOIN alarms a ON a.id = n.alarm_id WHERE n.target = @target AND n.delivered_utc IS NULL AND n.failed_utc IS NULL ORDER BY n.seq LIMIT 1",
            new { target }).ConfigureAwait(false);
        return row.Id is null ? null : new OutboxNotice(
            row.Seq, row.Id, row.Target, row.Alarm, row.Company, row.Plant, row.Line, row.Station, row.Event, row.Body, row.Attempts,
            DateTimeOffset.FromUnixTimeMilliseconds(row.Next), row.Claimed is { } claimed ? DateTimeOffset.FromUnixTimeMilliseconds(claimed) : null);
    }

    /// <summary>
    /// Claims a waiting notice until <paramref name="until"/>: true for exactly one of the silos that try while nobody
    /// holds it (the update re-checks the claim under the row's lock), false for the others.
    /// </summary>
    public async Task<bool> ClaimAsync(long seq, string by, DateTimeOffset now, DateTimeOffset until, CancellationToken ct) =>
        await ExecuteAsync(
            $"UPDATE alarm_notices SET claimed_by = @by, claimed_until = @until WHERE seq = @seq AND {Waiting} AND (claimed_until IS NULL OR claimed_until <= @now)",
            new { seq, by, now = now.ToUnixTimeMilliseconds(), until = until.ToUnixTimeMilliseconds() }, ct).ConfigureAwait(false) == 1;

    public Task DeliveredAsync(long seq, string by, DateTimeOffset now, CancellationToken ct) => ExecuteAsync(
        "UPDATE alarm_notices SET delivered_utc = @now, attempts = attempts + 1, claimed_by = NULL, claimed_until = NULL WHERE seq = @seq AND claimed_by = @by",
        new { seq, by, now = now.ToUnixTimeMilliseconds() }, ct);

    public Task RetryLaterAsync(long seq, string by, DateTimeOffset next, string problem, CancellationToken ct) => ExecuteAsync(
        "UPDATE alarm_notices SET attempts = attempts + 1, next_utc = @next, last_error = @problem, claimed_by = NULL, claimed_until = NULL WHERE seq = @seq AND claimed_by = @by",
        new { seq, by, next = next.ToUnixTimeMilliseconds(), problem }, ct);

    public Task GiveUpAsync(long seq, string by, DateTimeOffset now, string problem, CancellationToken ct) => ExecuteAsync(
        "UPDATE alarm_notices SET attempts = attempts + 1, failed_utc = @now, last_error = @problem, claimed_by = NULL, claimed_until = NULL WHERE seq = @seq AND claimed_by = @by",
        new { seq, by, now = now.ToUnixTimeMilliseconds(), problem }, ct);

    /// <summary>Lets go of a claim without an outcome (the hub is stopping mid-send), so the notice is sent again at once.</summary>
    public Task ReleaseAsync(long seq, string by, CancellationToken ct) =>
        ExecuteAsync("UPDATE alarm_notices SET claimed_by = NULL, claimed_until = NULL WHERE seq = @seq AND claimed_by = @by", new { seq, by }, ct);

    /// <summary>Forgets notices delivered or given up before <paramref name="before"/>; the alarms themselves stay.</summary>
    public Task<int> PruneAsync(DateTimeOffset before, CancellationToken ct) => ExecuteAsync(
        "DELETE FROM alarm_notices WHERE delivered_utc < @t OR failed_utc < @t", new { t = before.ToUnixTimeMilliseconds() }, ct);

    /// <summary>A company's notices per target: pending (waiting or being retried), failed (given up) and delivered.</summary>
    public async Task<IReadOnlyList<AlarmNoticeCounts>> CountsAsync(string company, CancellationToken ct)
    {
        await using var c = await database.OpenAsync(ct).ConfigureAwait(false);
        var rows = await c.QueryAsync<(string Target, long Pending, long Failed, long Delivered, long? Oldest)>(
            $"""
            SELECT target, SUM(CASE WHEN {Waiting} THEN 1 ELSE 0 END), SUM(CASE WHEN failed_utc IS NOT NULL THEN 1 ELSE 0 END),
                SUM(CASE WHEN delivered_utc IS NOT NULL THEN 1 ELSE 0 END), MIN(CASE WHEN {Waiting} THEN created_utc END)
            FROM alarm_notices WHERE company_id = @company GROUP BY target ORDER BY target
            """,
            new { company }).ConfigureAwait(false);
        return rows.Select(r => new AlarmNoticeCounts(r.Target, r.Pending, r.Failed, r.Delivered, r.Oldest is { } t ? DateTimeOffset.FromUnixTimeMilliseconds(t) : null)).ToList();
    }

    private async Task<int> ExecuteAsync(string sql, object args, CancellationToken ct)
    {
        await using var c = await database.OpenAsync(ct).ConfigureAwait(false);
        return await c.ExecuteAsync(sql, args).ConfigureAwait(false);
    }
}
