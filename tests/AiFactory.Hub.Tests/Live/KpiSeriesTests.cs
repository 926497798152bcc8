using AiFactory.Hub.Live;
using CsCheck;

namespace AiFactory.Hub.Tests.Live;

/// <summary>
/// A series keeps each window's minutes before the current one summed between calls: whatever is set, added to, trimmed
/// and asked for in whatever order, every window equals the plain sum of its minutes.
/// </summary>
[Trait("Category", "Unit")]
public sealed class KpiSeriesTests
{
    private const long Start = 1_795_000_000 - (1_795_000_000 % 60);

    /// <summary>One step: 0 sets a minute's totals, 1 adds to a minute (as a station does), 2 moves the clock on, 3 trims; then every window is read.</summary>
    private static readonly Gen<(int Kind, int MinuteBack, int Frames, int Class)[]> Steps =
        Gen.Select(Gen.Int[0, 3], Gen.Int[-2, 70], Gen.Int[0, 50], Gen.Int[0, 2]).Array[1, 60];

    [Fact]
    public void EveryWindow_EqualsThePlainSumOfItsMinutes_WhateverChangedBetweenReads()
    {
        Steps.Sample(steps =>
        {
            var series = new KpiSeries();
            var plain = new SortedDictionary<long, (long Frames, long Fail, long Latency, Dictionary<string, long> Classes)>();
            var now = Start + (90 * 60);
            foreach (var (kind, back, frames, cls) in steps)
            {
                var minute = now - (back * 60);
                var name = $"c{cls}";
                switch (kind)
                {
                    case 0:
                        series.Set(minute, Totals(frames, name));
                        plain[minute] = (frames, frames / 3, frames, new Dictionary<string, long> { [name] = frames });
                        break;
                    case 1:
                        series.At(minute).Add(Totals(frames, name));
                        var (f, fail, lat, classes) = plain.GetValueOrDefault(minute, (0, 0, 0, new Dictionary<string, long>()));
                        classes = new Dictionary<string, long>(classes);
                        classes[name] = classes.GetValueOrDefault(name) + frames;
                        plain[minute] = (f + frames, fail + (frames / 3), lat + frames, classes);
                        break;
                    case 2:
                        now += (back % 3) * 60;
                        break;
                    default:
                        series.Trim(now);
                        foreach (var old in plain.Keys.Where(m => m < KpiSeries.OldestKept(now)).ToList())
                        {
                            plain.Remove(old);
                        }

                        break;
                }

                foreach (var length in new[] { 1, 15, KpiSeries.WindowMinutes })
                {
                    var window = series.Window(now, length);
                    var inWindow = plain.Where(m => m.Key <= now && m.Key > now - (length * 60)).Select(m => m.Value).ToList();
                    Assert.Equal(inWindow.Sum(m => m.Frames), window.Frames);
                    Assert.Equal(inWindow.Sum(m => m.Fail), window.Fail);
                    var expectedClasses = inWindow.SelectMany(m => m.Classes).Where(c => c.Value > 0).GroupBy(c => c.Key)
                        .ToDictionary(g => g.Key, g => g.Sum(c => c.Value));
                    Assert.Equal(expectedClasses.OrderBy(c => c.Key), window.ClassCounts.OrderBy(c => c.Key));
                    Assert.Equal(inWindow.Sum(m => m.Latency) == 0, window.LatencyP99Ms is null);
                }
            }
        }, iter: 400);
    }

    [Fact]
    public void AWindowAskedAgain_AfterAnEarlierMinuteChanged_ShowsTheChange()
    {
        var series = new KpiSeries();
        var now = Start + (90 * 60);
        series.Set(now - 120, Totals(10, "Bumps"));
        series.Set(now, Totals(1, "Bumps"));
        Assert.Equal(11, series.Window(now, 15).Frames);

        series.At(now - 120).Add(Totals(5, "Bumps"));
        Assert.Equal(16, series.Window(now, 15).Frames);
        series.Set(now - 60, Totals(4, "Scratches"));
        var hour = series.Window(now, KpiSeries.WindowMinutes);
        Assert.Equal(20, hour.Frames);
        Assert.Equal(new Dictionary<string, long> { ["Bumps"] = 16, ["Scratches"] = 4 }, hour.ClassCounts);

        // A minute before the 15-minute window changes the hour only; the next minute moves the window past its oldest.
        series.Set(now - (15 * 60), Totals(100, "Bumps"));
        Assert.Equal(20, series.Window(now, 15).Frames);
        Assert.Equal(120, series.Window(now, KpiSeries.WindowMinutes).Frames);
        series.Set(now - (14 * 60), Totals(7, "Bumps"));
        Assert.Equal(27, series.Window(now, 15).Frames);
        Assert.Equal(20, series.Window(now + 60, 15).Frames);
    }

    private static MinuteTotals Totals(long frames, string cls)
    {
        var t = new MinuteTotals { Frames = frames, Pass = frames - (frames / 3), Fail = frames / 3 };
        t.AddClass(cls, frames);
        if (frames > 0)
        {
            var counts = new long[t.Latency.Length];
            counts[1] = frames;
            t.AddLatency(counts, frames, frames * 2.0, 2, 2);
        }

        return t;
    }
}
