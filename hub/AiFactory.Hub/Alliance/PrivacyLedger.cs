using System.Data.Common;
using AiFactory.Hub.Storage;
using Dapper;

namespace AiFactory.Hub.Alliance;

/// <summary>
/// The ε (and δ) each analyst spent per alliance and calendar month (UTC), one row per answered query. An analyst is a
/// person, <see cref="Tenancy.HubCaller.Analyst"/>: every key of one named user of a company spends from one budget.
/// </summary>
public sealed class PrivacyLedger(HubDatabase database, TimeProvider time)
{
    public static async Task<(double Epsilon, double Delta)> SpentAsync(DbConnection c, DbTransaction? tx, string alliance, string analyst, string period)
    {
        var row = await c.QuerySingleAsync<(double? Epsilon, double? Delta)>(
            "SELECT SUM(epsilon), SUM(delta) FROM privacy_ledger WHERE alliance_id = @alliance AND analyst = @analyst AND period = @period",
            new { alliance, analyst, period }, tx).ConfigureAwait(false);
        return (row.Epsilon ?? 0, row.Delta ?? 0);
    }

    public static Task SpendAsync(DbConnection c, DbTransaction tx, string alliance, string analyst, string period, string queryId, double epsilon, double delta, DateTimeOffset now) =>
        c.ExecuteAsync(
            "INSERT INTO privacy_ledger (alliance_id, analyst, period, query_id, epsilon, delta, time_utc) VALUES (@alliance, @analyst, @period, @queryId, @epsilon, @delta, @now)",
            new { alliance, analyst, period, queryId, epsilon, delta, now = now.ToUnixTimeMilliseconds() }, tx);

    /// <summary>What the analyst has spent and has left in the current month.</summary>
    public async Task<PrivacySpend> RemainingAsync(AllianceSettings alliance, string analyst, CancellationToken ct)
    {
        var period = time.GetUtcNow().ToString("yyyy-MM", System.Globalization.CultureInfo.InvariantCulture);
        await using var c = await database.OpenAsync(ct).ConfigureAwait(false);
        var (epsilon, delta) = await SpentAsync(c, null, alliance.Id, analyst, period).ConfigureAwait(false);
        return new PrivacySpend(alliance.Mechanism, alliance.EpsilonPerQuery, epsilon, Math.Max(0, alliance.EpsilonBudget - epsilon), alliance.EpsilonBudget, period,
            CellDelta(alliance), delta);
    }

    /// <summary>The δ one published cell costs: the alliance's δ under Gaussian noise, 0 under Laplace.</summary>
    public static double CellDelta(AllianceSettings alliance) => alliance.Mechanism == NoiseMechanism.Gaussian ? alliance.Delta : 0;
}
