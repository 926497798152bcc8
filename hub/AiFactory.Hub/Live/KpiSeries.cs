using AiFactory.Contracts;

namespace AiFactory.Hub.Live;

/// <summary>
/// A scope's last hour as minute totals keyed by the minute's start (Unix seconds, as SQL's 1-minute buckets), from
/// which the rolling windows are summed. Minutes older than the hour are dropped.
/// A window's minutes before the current one are summed once per minute and kept: a window is then that sum plus the
/// current minute, so a live view's snapshot ten times a second does not add up an hour of minutes each time. A change
/// to a minute before the current one (a late report, a rebuild) drops the kept sums that contain it.
/// </summary>
public sealed class KpiSeries
{
    /// <summary>The longest window kept.</summary>
    public const int WindowMinutes = 60;

    private readonly SortedDictionary<long, MinuteTotals> _minutes = [];

    // Per window length (minutes): the current minute it was summed for, and the sum of the minutes before it.
    private readonly Dictionary<int, (long CurrentMinute, MinuteTotals Sum)> _closed = [];

    public IReadOnlyDictionary<long, MinuteTotals> Minutes => _minutes;

    public static long MinuteOf(DateTimeOffset time)
    {
        var s = time.ToUnixTimeSeconds();
        return s - (((s % 60) + 60) % 60);
    }

    /// <summary>The first minute of the hour that ends with <paramref name="currentMinute"/>.</summary>
    public static long OldestKept(long currentMinute) => currentMinute - ((WindowMinutes - 1) * 60);

    /// <summary>The minute's totals, created when missing, for the caller to add to.</summary>
    public MinuteTotals At(long minute)
    {
        Touched(minute);
        if (!_minutes.TryGetValue(minute, out var totals))
        {
            _minutes[minute] = totals = new MinuteTotals();
        }

        return totals;
    }

    public MinuteTotals? Get(long minute) => _minutes.GetValueOrDefault(minute);

    public void Set(long minute, MinuteTotals totals)
    {
        Touched(minute);
        _minutes[minute] = totals;
    }

    public void Trim(long currentMinute)
    {
        var oldest = OldestKept(currentMinute);
        while (_minutes.Count > 0 && _minutes.Keys.First() is var first && first < oldest)
        {
            _minutes.Remove(first);
        }
    }

    public LiveKpis Kpis(long currentMinute) => new(Window(currentMinute, 1), Window(currentMinute, 15), Window(currentMinute, WindowMinutes));

    /// <summary>The <paramref name="minutes"/> minutes that end with the current one.</summary>
    public LiveKpi Window(long currentMinute, int minutes)
    {
        var sum = minutes > 1 ? Closed(currentMinute, minutes).Clone() : new MinuteTotals();
        if (_minutes.TryGetValue(currentMinute, out var current))
        {
            sum.Add(current);
        }

        double? p99 = null;
        if (sum.LatencyCount > 0)
        {
            var h = MergeableHistogram.FromData(new HistogramData(
                StandardHistograms.LatencyMsBounds, sum.Latency, sum.LatencySum, sum.LatencyCount, sum.LatencyMin, sum.LatencyMax));
            p99 = h.Percentile(0.99);
        }

        var classes = new SortedDictionary<string, long>(sum.Classes, StringComparer.Ordinal);
        var rates = new SortedDictionary<string, double>(StringComparer.Ordinal);
        foreach (var (name, count) in classes)
        {
            rates[name] = sum.Frames == 0 ? 0 : (double)count / sum.Frames;
        }

        return new LiveKpi(
            minutes, sum.Frames, sum.Pass, sum.Fail, Ratio(sum.Pass, sum.Pass + sum.Fail), sum.Anomalies, Ratio(sum.Anomalies, sum.Frames),
            (double)sum.Frames / minutes, p99, classes, rates);
    }

    /// <summary>The sum of the window's minutes before the current one, summed again only when the minute turned or one of them changed.</summary>
    private MinuteTotals Closed(long currentMinute, int minutes)
    {
        if (_closed.TryGetValue(minutes, out var kept) && kept.CurrentMinute == currentMinute)
        {
            return kept.Sum;
        }

        var sum = new MinuteTotals();
        var from = currentMinute - ((minutes - 1) * 60);
        foreach (var (minute, totals) in _minutes)
        {
            if (minute >= currentMinute)
            {
                break;
            }

            if (minute >= from)
            {
                sum.Add(totals);
            }
        }

        _closed[minutes] = (currentMinute, sum);
        return sum;
    }

    /// <summary>A minute may change: the kept sums that contain it are summed again when next asked for.</summary>
    private void Touched(long minute)
    {
        if (_closed.Count == 0)
        {
            return;
        }

        foreach (var (length, kept) in _closed)
        {
            if (minute < kept.CurrentMinute && minute >= kept.CurrentMinute - ((length - 1) * 60))
            {
                _closed.Remove(length);
            }
        }
    }

    /// <summary>The scope's status from its last minute: idle without frames, anomalous, failing, else ok.</summary>
    public static string Status(LiveKpi lastMinute) =>
        lastMinute.Frames == 0 ? "idle" : lastMinute.Anomalies > 0 ? "anomalous" : lastMinute.Fail > 0 ? "failing" : "ok";

    private static double? Ratio(long part, long whole) => whole == 0 ? null : (double)part / whole;
}
