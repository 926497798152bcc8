using System.Data.Common;
using System.Globalization;
using System.Text.Json;
using AiFactory.Hub.Storage;
using Dapper;

namespace AiFactory.Hub.Audit;

/// <summary>
/// The <c>audit_log</c> table: every admin change, written in the transaction that makes it (a change without its entry
/// cannot commit), read by hub admins through <c>GET /api/v1/admin/audit</c>.
/// </summary>
public sealed class AuditLog(HubDatabase database)
{
    /// <summary>Adds an entry inside the caller's transaction.</summary>
    public static Task WriteAsync(
        DbConnection c, DbTransaction tx, long nowMs, AuditActor actor, string action, string? company, string target, object? oldValue, object? newValue) =>
        c.ExecuteAsync(
            """
            INSERT INTO audit_log (id, time_utc, who, via, action, company_id, target, old_value, new_value)
            VALUES (@id, @t, @who, @via, @action, @company, @target, @old, @new)
            """,
            new
            {
                id = NewId(nowMs), t = nowMs, who = actor.Who, via = actor.Via, action, company, target,
                old = Json(oldValue), @new = Json(newValue),
            },
            tx);

    /// <summary>Entries in [from, to), newest first, at most <paramref name="limit"/>; only <paramref name="company"/>'s when given.</summary>
    public async Task<IReadOnlyList<AuditEntry>> ReadAsync(DateTimeOffset from, DateTimeOffset to, int limit, CancellationToken ct, string? company = null)
    {
        await using var c = await database.OpenAsync(ct).ConfigureAwait(false);
        var rows = await c.QueryAsync<(string Id, long Time, string Who, string Via, string Action, string? Company, string Target, string? Old, string? New)>(
            """
            SELECT id, time_utc, who, via, action, company_id, target, old_value, new_value FROM audit_log
            WHERE time_utc >= @from AND time_utc < @to AND (@all = 1 OR company_id = @company) ORDER BY time_utc DESC, id DESC LIMIT @limit
            """,
            new { from = from.ToUnixTimeMilliseconds(), to = to.ToUnixTimeMilliseconds(), limit = (long)limit, all = company is null ? 1L : 0L, company = company ?? string.Empty }).ConfigureAwait(false);
        return rows.Select(r => new AuditEntry(r.Id, DateTimeOffset.FromUnixTimeMilliseconds(r.Time), r.Who, r.Via, r.Action, r.Company, r.Target, r.Old, r.New)).ToList();
    }

    /// <summary>Time first, then this process's count, then randomness: ids sort in the order this process wrote them.</summary>
    private static string NewId(long nowMs) =>
        string.Create(CultureInfo.InvariantCulture, $"{nowMs:D13}-{Interlocked.Increment(ref _written):D12}-{Random.Shared.Next():x8}");

    private static long _written;

    private static string? Json(object? value) => value is null ? null : JsonSerializer.Serialize(value, value.GetType(), Options);

    private static readonly JsonSerializerOptions Options = new(JsonSerializerDefaults.Web);
}
