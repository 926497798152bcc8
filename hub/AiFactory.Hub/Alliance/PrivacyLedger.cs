using System.Data.Common;
using AiFactory.Hub.Storage;
using Dapper;

namespace AiFactory.Hub.Alliance;

/// <summary>The ε each analyst key spent per alliance and calendar month (UTC), one row per answered query.</summary>
public sealed class PrivacyLedger(HubDatabase database, TimeProvider time)
{
    public static async Task<double> SpentAsync(DbConnection c, DbTransaction? tx, string alliance, string keyId, string period) =>
        await c.ExecuteScalarAsync<double?>("SELECT SUM(epsilon) FROM privacy_ledger WHERE alliance_id = @alliance AND key_id = @keyId AND period = @period",
            new { alliance, keyId, period }, tx).ConfigureAwait(false) ?? 0;

    public static Task SpendAsync(DbConnection c, DbTransaction tx, string alliance, string keyId, string period, string queryId, double epsilon, DateTimeOffset now) =>
        c.ExecuteAsync("INSERT INTO privacy_ledger (alliance_id, key_id, period, query_id, epsilon, time_utc) VALUES (@alliance, @keyId, @period, @queryId, @epsilon, @now)",
            new { alliance, keyId, period, queryId, epsilon, now = now.ToUnixTimeMilliseconds() }, tx);

    /// <summary>What the key has left in the current month.</summary>
    public async Task<PrivacySpend> RemainingAsync(AllianceSettings alliance, string keyId, CancellationToken ct)
    {
        var period = time.GetUtcNow().ToString("yyyy-MM", System.Globalization.CultureInfo.InvariantCulture);
        await using var c = await database.OpenAsync(ct).ConfigureAwait(false);
        var spent = await SpentAsync(c, null, alliance.Id, keyId, period).ConfigureAwait(false);
        return new PrivacySpend("laplace", alliance.EpsilonPerQuery, spent, Math.Max(0, alliance.EpsilonBudget - spent), alliance.EpsilonBudget, period);
    }
}
