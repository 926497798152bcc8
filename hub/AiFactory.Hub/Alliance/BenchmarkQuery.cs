using System.Data.Common;
using System.Diagnostics;
using System.Globalization;
using AiFactory.Hub.Audit;
using AiFactory.Hub.Hosting;
using AiFactory.Hub.Storage;
using Dapper;

namespace AiFactory.Hub.Alliance;

/// <summary>
/// Answers a benchmark query from policy-allowed data only. One company is one value per cell (its allowed lines'
/// counts summed, then the metric), weighted by its frames. The cells pass <see cref="CellSuppression"/>; under
/// differential privacy their percentiles come from a noised histogram (<see cref="NoiseMechanism"/>) and the query spends
/// ε (and δ) from the asking analyst's budget for the calendar month (<see cref="PrivacyLedger"/>). The decision, the releases, the spend and the
/// audit entry are one transaction, taken under the alliance's row lock on PostgreSQL, so two queries cannot both pass
/// a check that only one of them may.
/// </summary>
public sealed class BenchmarkQuery(HubDatabase database, PolicyStore policies, NoiseSource noise, TimeProvider time)
{
    public const string Purpose = "benchmarking";

    /// <summary>The member companies' lines of the request's process type with their sums over its days (latency histograms included).</summary>
    public Task<List<LineTotals>> ReadLinesAsync(AllianceSettings alliance, string processType, DateTimeOffset from, DateTimeOffset to, CancellationToken ct) =>
        database.ReadSnapshotAsync(
            (c, tx) => LineTotalsReader.ReadAsync(c, tx, alliance.Id, processType, LineDayRollup.DayStart(from), LineDayRollup.DayStart(to), withLatency: true, ct), ct);

    /// <param name="read">The lines as <see cref="ReadLinesAsync"/> read them, when several metrics of one process type and period are asked at once; null: read them now.</param>
    public async Task<(BenchmarkResponse Response, BenchmarkTimings Timings)> RunAsync(BenchmarkRequest q, AuditActor actor, CancellationToken ct, IReadOnlyList<LineTotals>? read = null)
    {
        var rules = q.Alliance;
        var epsilon = q.Epsilon ?? rules.EpsilonPerQuery;
        if (rules.DifferentialPrivacy && NoiseMechanism.Problem(rules.Mechanism, "query 'epsilon'", epsilon, rules.Delta) is { } calibration)
        {
            throw HubProblemException.BadRequest(calibration);
        }

        if (rules.DifferentialPrivacy && !(epsilon > 0 && epsilon <= rules.EpsilonBudget))
        {
            throw HubProblemException.BadRequest($"query 'epsilon' {epsilon} must be above 0 and at most the alliance's budget {rules.EpsilonBudget}.");
        }

        var queryId = Convert.ToHexStringLower(System.Security.Cryptography.RandomNumberGenerator.GetBytes(8));
        var now = time.GetUtcNow();
        var fromDay = LineDayRollup.DayStart(q.From);
        var toDay = LineDayRollup.DayStart(q.To);
        var t0 = Stopwatch.GetTimestamp();
        long tLines = 0;
        var (lines, set) = await database.ReadSnapshotAsync(
            async (c, tx) =>
            {
                var fresh = read ?? await LineTotalsReader.ReadAsync(c, tx, rules.Id, q.ProcessType, fromDay, toDay, q.Metric == MetricFamily.ModelLatency, ct).ConfigureAwait(false);
                tLines = Stopwatch.GetTimestamp();
                return (fresh, await policies.InForceAsync(c, rules.Id, q.Metric, now).ConfigureAwait(false));
            },
            ct).ConfigureAwait(false);
        var t1 = Stopwatch.GetTimestamp();
        var allowed = lines.Where(l => set.Allows(l.Company, l.Plant, l.Line, q.AskingCompany, Purpose)).ToList();
        var t2 = Stopwatch.GetTimestamp();

        var hours = (toDay - fromDay) / 3600.0;
        var total = Cell(null, allowed, q.Metric, hours);
        var families = q.ByFamily
            ? allowed.GroupBy(l => l.ProductFamily, StringComparer.Ordinal).OrderBy(g => g.Key, StringComparer.Ordinal).Select(g => Cell(g.Key, g.ToList(), q.Metric, hours)).ToList()
            : [];
        var cells = new List<CellCandidate> { total };
        cells.AddRange(families);
        var metric = MetricFamilies.Name(q.Metric);
        var period = now.ToString("yyyy-MM", CultureInfo.InvariantCulture);
        var outcome = await database.WriteAsync(
            async (c, tx) =>
            {
                if (database.Provider == DatabaseProvider.PostgreSql)
                {
                    await c.ExecuteAsync("SELECT id FROM alliances WHERE id = @id FOR UPDATE", new { id = rules.Id }, tx).ConfigureAwait(false);
                }

                var released = rules.DifferentialPrivacy ? null : await ReleaseLedger.ReadAsync(c, tx, rules.Id, q.ProcessType, metric).ConfigureAwait(false);
                var reasons = CellSuppression.Decide(rules, total, families, released);
                var published = Enumerable.Range(0, cells.Count).Where(i => reasons[i] == SuppressionReason.None).ToList();
                PrivacySpend? spend = null;
                if (rules.DifferentialPrivacy)
                {
                    var (spent, _) = await PrivacyLedger.SpentAsync(c, tx, rules.Id, q.Analyst, period).ConfigureAwait(false);
                    var cost = epsilon * published.Count;
                    var delta = PrivacyLedger.CellDelta(rules) * published.Count;
                    if (spent + cost > rules.EpsilonBudget + 1e-9)
                    {
                        return new Outcome(reasons, null, Math.Max(0, rules.EpsilonBudget - spent), cost);
                    }

                    if (cost > 0)
                    {
                        await PrivacyLedger.SpendAsync(c, tx, rules.Id, q.Analyst, period, queryId, cost, delta, now).ConfigureAwait(false);
                    }

                    spend = new PrivacySpend(rules.Mechanism, epsilon, cost, Math.Max(0, rules.EpsilonBudget - spent - cost), rules.EpsilonBudget, period, PrivacyLedger.CellDelta(rules), delta);
                }
                else
                {
                    foreach (var i in published)
                    {
                        await ReleaseLedger.AddAsync(c, tx, rules.Id, q.ProcessType, metric, cells[i].Companies, queryId, now).ConfigureAwait(false);
                    }
                }

                await AuditLog.WriteAsync(c, tx, now.ToUnixTimeMilliseconds(), actor, "alliance.benchmark", q.AskingCompany, $"{rules.Id}/{q.ProcessType}/{metric}",
                    null, Audited(q, queryId, cells, reasons, spend)).ConfigureAwait(false);
                return new Outcome(reasons, spend, 0, 0);
            },
            ct).ConfigureAwait(false);
        var t3 = Stopwatch.GetTimestamp();
        if (rules.DifferentialPrivacy && outcome.Spend is null)
        {
            await database.WriteAsync(
                async (c, tx) =>
                {
                    await AuditLog.WriteAsync(c, tx, now.ToUnixTimeMilliseconds(), actor, "alliance.benchmark.refused", q.AskingCompany, $"{rules.Id}/{q.ProcessType}/{metric}",
                        null, new { queryId, from = q.From, to = q.To, epsilonNeeded = outcome.Needed, epsilonLeft = outcome.Left, period }).ConfigureAwait(false);
                    return 0;
                },
                ct).ConfigureAwait(false);
            throw new HubProblemException(403, "Privacy budget exceeded",
                $"this query needs ε={outcome.Needed.ToString("0.###", CultureInfo.InvariantCulture)} but analyst '{q.Analyst}' has ε={outcome.Left.ToString("0.###", CultureInfo.InvariantCulture)} " +
                $"of {rules.EpsilonBudget.ToString("0.###", CultureInfo.InvariantCulture)} left in alliance '{rules.Id}' for {period}.");
        }

        var pseudonyms = new Pseudonyms();
        var answer = cells.Select((cell, i) => Publish(cell, outcome.Reasons[i], rules, q.Metric, epsilon, pseudonyms)).ToList();
        var response = new BenchmarkResponse(queryId, rules.Id, q.ProcessType, metric, DateTimeOffset.FromUnixTimeSeconds(fromDay), DateTimeOffset.FromUnixTimeSeconds(toDay), outcome.Spend, answer);
        return (response, new BenchmarkTimings(Ms(t0, tLines), Ms(tLines, t1), Ms(t1, t2), Ms(t2, t3), lines.Count, set.Count, allowed.Count));
    }

    private static CellCandidate Cell(string? family, List<LineTotals> lines, MetricFamily metric, double hours) =>
        new(family, lines.GroupBy(l => l.Company, StringComparer.Ordinal)
            .Select(g => (g.Key, Value: MetricValue.Of(metric, g.ToList(), hours), Weight: g.Sum(l => l.Frames)))
            .Where(x => x.Value is not null && x.Weight > 0)
            .Select(x => new Contribution(x.Key, x.Value!.Value, x.Weight))
            .ToList());

    private BenchmarkCell Publish(CellCandidate cell, SuppressionReason reason, AllianceSettings rules, MetricFamily metric, double epsilon, Pseudonyms pseudonyms)
    {
        if (reason != SuppressionReason.None)
        {
            return new BenchmarkCell(cell.ProductFamily, false, CellSuppression.Describe(reason, rules), null, null, null);
        }

        var values = cell.Contributions.Select(c => c.Value).ToList();
        if (!rules.DifferentialPrivacy)
        {
            return new BenchmarkCell(cell.ProductFamily, true, null, values.Count,
                cell.Contributions.Select(c => pseudonyms.Of(c.Company)).Order(StringComparer.Ordinal).ToList(), Named(Distribution.Exact(values)));
        }

        var (low, high) = MetricFamilies.Range(metric);
        var histogram = Distribution.NoisyHistogram(values, low, high, rules, epsilon, noise);
        return new BenchmarkCell(cell.ProductFamily, true, null, (long)Math.Round(Math.Max(0, histogram.Sum())), null, Named(Distribution.FromHistogram(histogram, low, high)));
    }

    private static Dictionary<string, double> Named(double[] p) =>
        Distribution.Quantiles.Select((q, i) => (Key: $"p{(int)Math.Round(q * 100)}", Value: p[i])).ToDictionary(x => x.Key, x => x.Value, StringComparer.Ordinal);

    private static object Audited(BenchmarkRequest q, string queryId, List<CellCandidate> cells, SuppressionReason[] reasons, PrivacySpend? spend) => new
    {
        queryId,
        from = q.From,
        to = q.To,
        byFamily = q.ByFamily,
        epsilon = spend?.EpsilonSpent,
        cells = cells.Select((c, i) => new { family = c.ProductFamily, published = reasons[i] == SuppressionReason.None, reason = reasons[i].ToString(), companies = c.Companies.Order(StringComparer.Ordinal).ToList() }),
    };

    private static double Ms(long a, long b) => (b - a) * 1000.0 / Stopwatch.Frequency;

    private sealed record Outcome(SuppressionReason[] Reasons, PrivacySpend? Spend, double Left, double Needed);
}
