using AiFactory.Contracts;
using AiFactory.Hub.Hosting;
using AiFactory.Hub.Ingest;
using AiFactory.Hub.Tests.Support;
using CsCheck;

namespace AiFactory.Hub.Tests;

/// <summary>
/// The ingest validator's contract over arbitrary summaries near every bound: what it accepts, a day's queries can
/// add up without overflow (checked, per station: <see cref="NearBounds.WindowsPerDay"/> 1-s windows), and counts that
/// contradict each other in true arithmetic are refused; what it refuses gets a 400 that names the summary's field.
/// </summary>
[Trait("Category", "Unit")]
public sealed class BatchValidatorPropertyTests
{
    private const int Iterations = 2_000;

    [Fact]
    public void CheckShape_AcceptedSummary_EverySumADaysQueriesMakeStaysRepresentable() =>
        NearBounds.Summary.Sample(s =>
        {
            if (!Accepts(s))
            {
                return;
            }

            Assert.True((Int128)s.PassCount + s.FailCount <= s.FramesScored, $"accepted passCount {s.PassCount} + failCount {s.FailCount} > framesScored {s.FramesScored}");
            Assert.True(s.AnomalyCount <= s.FramesScored, $"accepted anomalyCount {s.AnomalyCount} > framesScored {s.FramesScored}");
            long[] counts =
            [
                s.FramesScored, s.PassCount, s.FailCount, s.AnomalyCount, s.PassCount + s.FailCount,
                .. s.ClassCounts.Values,
                .. s.DataQuality.SelectMany(q => new[] { q.Stale, q.OutOfRange, q.NaN, q.Gaps, q.DecodeErrors }),
                .. s.Scores.Counts, s.Scores.Count, .. s.LatencyMs.Counts, s.LatencyMs.Count,
            ];
            foreach (var count in counts)
            {
                Assert.True((Int128)count * NearBounds.WindowsPerDay <= long.MaxValue, $"accepted count {count}: a day of such windows ({count} × {NearBounds.WindowsPerDay}) overflows a 64-bit sum");
            }

            Assert.True(double.IsFinite(s.Scores.Sum * NearBounds.WindowsPerDay) && double.IsFinite(s.LatencyMs.Sum * NearBounds.WindowsPerDay), "accepted histogram sums overflow a day's sum");
        }, iter: Iterations, threads: 1);

    [Fact]
    public void CheckShape_AnySummary_AcceptsOrAnswers400NamingTheSummary() =>
        NearBounds.Summary.Sample(s =>
        {
            try
            {
                BatchValidator.CheckShape(Batch(s), 10_000);
            }
            catch (HubProblemException ex)
            {
                Assert.Equal(400, ex.Status);
                Assert.StartsWith("records[0].summary", ex.Message, StringComparison.Ordinal);
            }
        }, iter: Iterations, threads: 1);

    [Fact]
    public void CheckShape_PlausibleSummary_IsAccepted() =>
        Gen.Select(Gen.Long[0, 2_000], Gen.Double[0, 1], Gen.Double[0, 1]).Sample((frames, passShare, anomalyShare) =>
        {
            var pass = (long)(frames * passShare);
            var summary = Batches.Summary("e1", "acme", "p1", "l1", "s1", Batches.T0, frames, pass, frames - pass, (long)(frames * anomalyShare));
            Assert.True(Accepts(summary), $"refused a plausible summary: {summary}");
        }, iter: 200, threads: 1);

    private static bool Accepts(StationWindowSummary s)
    {
        try
        {
            BatchValidator.CheckShape(Batch(s), 10_000);
            return true;
        }
        catch (HubProblemException)
        {
            return false;
        }
    }

    private static UplinkBatch Batch(StationWindowSummary s) => Batches.Batch("e1", 1, [s]);
}
