using System.Globalization;
using AiFactory.Hub.Dashboard;
using AiFactory.Hub.Live;
using CsCheck;
using Microsoft.AspNetCore.Http;

namespace AiFactory.Hub.Tests.Dashboard;

/// <summary>What the line page's live places show (LineTexts), what is sent of them, and the Pareto fragment's address.</summary>
[Trait("Category", "Unit")]
public sealed class LineTextsTests
{
    private static readonly LineTexts English = new(CultureInfo.GetCultureInfo("en"), "Edges online {0}/{1}");

    [Fact]
    public void BeforeTheFirstSnapshot_EveryPlaceShowsADash_AndIdle()
    {
        var texts = English.Build(null, ["s1"], null, null, new Dictionary<string, long>());

        Assert.Equal(3 + LineTexts.TileParts.Count, texts.Count);
        Assert.Equal("idle|", texts["line/status"]);
        Assert.Equal("idle|", texts["tile-s1/status"]);
        Assert.Equal("–", texts["tile-s1/frames"]);
        Assert.Equal("–", texts["tile-s1/fpy"]);
        Assert.Equal("–", texts["tile-s1/backlog"]);
        Assert.Equal("edges-ok|Edges online 0/0", texts["tile-s1/edges"]);
        Assert.Equal(string.Empty, texts["tile-s1/pareto"]);
    }

    [Fact]
    public void AStationsFigures_AreFormattedInThePagesCulture()
    {
        var line = Line(("s1", "failing", Kpi(1234, 0.9, 0.125, 20.56, 3.26, new() { ["scratch"] = 0.3, ["ok"] = 0.7 })), ("s2", "ok", Kpi(0, null, null, 0, null, [])));
        var korean = new LineTexts(CultureInfo.GetCultureInfo("ko"), "엣지 온라인 {0}/{1}");

        var en = English.Build(line, ["s1", "s2", "s3"], (1, 2), 1500, new Dictionary<string, long> { ["s1"] = 4 });
        var ko = korean.Build(line, ["s1"], (2, 2), 1500, new Dictionary<string, long>());

        Assert.Equal("failing|", en["tile-s1/status"]);
        Assert.Equal("90.0%", en["tile-s1/fpy"]);
        Assert.Equal("12.5%", en["tile-s1/anomaly-rate"]);
        Assert.Equal("1,234", en["tile-s1/frames"]);
        Assert.Equal("20.6", en["tile-s1/throughput"]);
        Assert.Equal("3.3", en["tile-s1/latency"]);
        Assert.Equal("4", en["tile-s1/data-quality"]);
        Assert.Equal("1,500", en["tile-s1/backlog"]);
        Assert.Equal("edges-offline|Edges online 1/2", en["tile-s1/edges"]);
        Assert.Equal("ok:70|scratch:30", en["tile-s1/pareto"]);
        // A station that reported nothing shows zero frames and no yield; one missing from the snapshot, dashes.
        Assert.Equal(("0", "–", "ok|"), (en["tile-s2/frames"], en["tile-s2/fpy"], en["tile-s2/status"]));
        Assert.Equal(("–", "idle|"), (en["tile-s3/frames"], en["tile-s3/status"]));
        Assert.Equal("edges-ok|엣지 온라인 2/2", ko["tile-s1/edges"]);
        Assert.Equal("90.0%", ko["tile-s1/fpy"]);
        Assert.Equal("–", ko["tile-s1/data-quality"]);
    }

    [Fact]
    public void Changes_AreEverythingTheFirstTime_ThenOnlyWhatDiffers()
    {
        Gen.Select(Gen.Int[0, 20].Array[6], Gen.Int[0, 20].Array[6]).Sample((a, b) =>
        {
            var before = Texts(a);
            var now = Texts(b);

            var first = LineTexts.Changes(null, now);
            var changes = LineTexts.Changes(before, now);

            Assert.Equal(now, first);
            for (var i = 0; i < b.Length; i++)
            {
                var key = $"p{i}";
                Assert.Equal(a[i] != b[i], changes.ContainsKey(key));
                if (a[i] != b[i])
                {
                    Assert.Equal(now[key], changes[key]);
                }
            }

            // Applying the changes to what was sent gives what there is now.
            var shown = new Dictionary<string, string>(before);
            foreach (var (k, v) in changes)
            {
                shown[k] = v;
            }

            Assert.Equal(now, shown);
        });
    }

    [Fact]
    public void ParetoKey_ChangesWithTheChartsLook_NotWithEveryFrame()
    {
        var key = LineTexts.ParetoKey(new Dictionary<string, double> { ["ok"] = 0.95, ["scratch"] = 0.05 });

        Assert.Equal("ok:95|scratch:5", key);
        Assert.Equal(key, LineTexts.ParetoKey(new Dictionary<string, double> { ["ok"] = 0.9502, ["scratch"] = 0.0498 }));
        Assert.NotEqual(key, LineTexts.ParetoKey(new Dictionary<string, double> { ["ok"] = 0.94, ["scratch"] = 0.06 }));
        Assert.NotEqual(key, LineTexts.ParetoKey(new Dictionary<string, double> { ["ok"] = 0.95, ["scratch"] = 0.05, ["crack"] = 0.001 }));
        Assert.Equal("scratch:95|ok:5", LineTexts.ParetoKey(new Dictionary<string, double> { ["ok"] = 0.05, ["scratch"] = 0.95 }));
        Assert.Equal(string.Empty, LineTexts.ParetoKey(new Dictionary<string, double>()));
        Assert.Equal(string.Empty, LineTexts.ParetoKey(null));
    }

    [Fact]
    public void ParetoPath_ParsesBackToItsClasses_InPercent_LargestFirst()
    {
        Gen.Dictionary(Gen.String[Gen.Char.AlphaNumeric, 1, 12].Select(s => s + " /&?=%"), Gen.Double[0, 1])[1, 20].Sample(shares =>
        {
            var path = ParetoChart.Path(shares);
            var parsed = ParetoChart.Parse(QueryHelpers(path));

            Assert.StartsWith("/ui/fragments/pareto?", path, StringComparison.Ordinal);
            var expected = LineTexts.Ordered(shares.ToDictionary(s => s.Key, s => Math.Round(100 * s.Value, 1)));
            Assert.Equal(expected, parsed);
        });
        Assert.Equal(string.Empty, ParetoChart.Path(new Dictionary<string, double>()));
        Assert.Equal(string.Empty, ParetoChart.Path(null));
    }

    [Theory]
    [InlineData("c=a&p=1&c=b", "2 class names ('c') but 1 shares")]
    [InlineData("c=a&p=-1", "class 'a' has share '-1', not a percentage from 0 to 100")]
    [InlineData("c=a&p=100.5", "class 'a' has share '100.5'")]
    [InlineData("c=a&p=NaN", "class 'a' has share 'NaN'")]
    [InlineData("c=&p=1", "class 1's name is empty")]
    [InlineData("c=a&p=1&c=a&p=2", "class 'a' is given twice")]
    public void ParetoRequest_WithBadClasses_IsRefusedNamingTheProblem(string query, string problem)
    {
        var ex = Assert.Throws<AiFactory.Hub.Hosting.HubProblemException>(() => ParetoChart.Parse(QueryHelpers("?" + query)));

        Assert.Contains("pareto chart: ", ex.Message, StringComparison.Ordinal);
        Assert.Contains(problem, ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void ParetoRequest_WithTooManyClasses_IsRefused()
    {
        var query = string.Join("&", Enumerable.Range(0, ParetoChart.MaxClasses + 1).Select(i => $"c=k{i}&p=1"));

        var ex = Assert.Throws<AiFactory.Hub.Hosting.HubProblemException>(() => ParetoChart.Parse(QueryHelpers("?" + query)));

        Assert.Contains($"{ParetoChart.MaxClasses + 1} classes, more than the {ParetoChart.MaxClasses}", ex.Message, StringComparison.Ordinal);
    }

    private static QueryCollection QueryHelpers(string pathAndQuery)
    {
        var q = pathAndQuery.IndexOf('?', StringComparison.Ordinal);
        return new QueryCollection(Microsoft.AspNetCore.WebUtilities.QueryHelpers.ParseQuery(q < 0 ? string.Empty : pathAndQuery[q..]));
    }

    private static Dictionary<string, string> Texts(int[] values) =>
        values.Select((v, i) => (Key: $"p{i}", Text: v.ToString(CultureInfo.InvariantCulture))).ToDictionary(p => p.Key, p => p.Text);

    private static LiveKpi Kpi(long frames, double? fpy, double? anomalyRate, double throughput, double? latency, Dictionary<string, double> shares) =>
        new(60, frames, 0, 0, fpy, 0, anomalyRate, throughput, latency, new Dictionary<string, long>(), shares);

    private static LiveSnapshot Line(params (string Id, string Status, LiveKpi Kpi)[] stations)
    {
        var kpi = Kpi(0, null, null, 0, null, []);
        return new LiveSnapshot(
            "acme", "p1", "l1", DateTimeOffset.UnixEpoch, "ok", new LiveKpis(kpi, kpi, kpi), null,
            stations.Select(s => new ChildLive(s.Id, s.Status, null, s.Kpi, s.Kpi)).ToList(), [], [], 0, 0);
    }
}
