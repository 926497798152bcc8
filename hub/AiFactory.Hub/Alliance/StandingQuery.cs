using AiFactory.Hub.Audit;

namespace AiFactory.Hub.Alliance;

/// <summary>
/// A member company's own KPIs (every one of its lines of the process type: its own data needs no policy) beside the
/// alliance's total cell for each metric family, each cell a benchmark query of its own under the same rules
/// (suppression, differencing, noise, ledger, audit).
/// </summary>
public sealed class StandingQuery(BenchmarkQuery benchmarks)
{
    /// <param name="analyst">Whose privacy budget pays, under differential privacy.</param>
    /// <param name="actor">Who asks, for the audit log.</param>
    public async Task<StandingResponse> RunAsync(AllianceSettings alliance, string company, string processType, DateTimeOffset from, DateTimeOffset to, string analyst, AuditActor actor, CancellationToken ct)
    {
        var fromDay = LineDayRollup.DayStart(from);
        var toDay = LineDayRollup.DayStart(to);
        // One read of the member companies' lines serves the company's own values and all five cells.
        var lines = await benchmarks.ReadLinesAsync(alliance, processType, from, to, ct).ConfigureAwait(false);
        var own = lines.Where(l => string.Equals(l.Company, company, StringComparison.Ordinal)).ToList();
        var metrics = new List<StandingMetric>();
        PrivacySpend? privacy = null;
        foreach (var metric in MetricFamilies.Families)
        {
            var request = new BenchmarkRequest(alliance, processType, metric, from, to, ByFamily: false, Epsilon: null, analyst, company);
            var (answer, _) = await benchmarks.RunAsync(request, actor, ct, lines).ConfigureAwait(false);
            privacy = answer.Privacy ?? privacy;
            metrics.Add(new StandingMetric(MetricFamilies.Name(metric), MetricValue.Of(metric, own, (toDay - fromDay) / 3600.0), answer.Cells[0], answer.QueryId));
        }

        return new StandingResponse(alliance.Id, company, processType, DateTimeOffset.FromUnixTimeSeconds(fromDay), DateTimeOffset.FromUnixTimeSeconds(toDay), privacy, metrics);
    }
}
