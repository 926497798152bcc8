using System.Threading.Channels;
using AiFactory.Hub.Dashboard;
using AiFactory.Hub.Live;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;

namespace AiFactory.Hub.Tests.Dashboard;

/// <summary>The pages' one clock: the first snapshot at once, then the latest on each tick if it changed, never two at once per page.</summary>
[Trait("Category", "Unit")]
public sealed class LiveTickerTests : IDisposable
{
    private static readonly TimeSpan Tick = TimeSpan.FromMilliseconds(50);
    private readonly LiveTicker _ticker = new(null!, Options.Create(new DashboardOptions { RenderInterval = Tick }), NullLogger<LiveTicker>.Instance);

    public void Dispose() => _ticker.Dispose();

    [Fact]
    public async Task FirstSnapshot_IsShownWhenItComes_ThenOnlyChangesAreShown_TheLatestOfEachTick()
    {
        var feed = new FakeFeed();
        var shown = Channel.CreateUnbounded<LiveSnapshot>();
        using var subscription = _ticker.Start(feed.View(), s =>
        {
            shown.Writer.TryWrite(s);
            return Task.CompletedTask;
        });

        await Task.Delay(Tick * 4);
        Assert.False(shown.Reader.TryRead(out _), "nothing to show before the feed's first snapshot");

        var first = feed.Send("ok");
        Assert.Same(first, await shown.Reader.ReadAsync().AsTask().WaitAsync(TimeSpan.FromSeconds(5)));

        // Nothing new: nothing shown, tick after tick.
        await Task.Delay(Tick * 4);
        Assert.False(shown.Reader.TryRead(out _));

        // Three snapshots between two ticks: the page sees the last, and the one before it at most.
        feed.Send("failing");
        feed.Send("anomalous");
        var last = feed.Send("idle");
        var seen = new List<LiveSnapshot>();
        while (seen.Count == 0 || !ReferenceEquals(seen[^1], last))
        {
            seen.Add(await shown.Reader.ReadAsync().AsTask().WaitAsync(TimeSpan.FromSeconds(5)));
        }

        Assert.True(seen.Count <= 2, $"{seen.Count} snapshots shown for one change between ticks");
        await Task.Delay(Tick * 4);
        Assert.False(shown.Reader.TryRead(out _));
    }

    [Fact]
    public async Task APageStillShowingASnapshot_IsNotGivenAnother_UntilItIsDone_ThenGetsTheLatest()
    {
        var feed = new FakeFeed();
        var calls = 0;
        var release = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        LiveSnapshot? lastShown = null;
        using var subscription = _ticker.Start(feed.View(), async s =>
        {
            Interlocked.Increment(ref calls);
            lastShown = s;
            await release.Task;
        });

        feed.Send("ok");
        await WaitUntil(() => Volatile.Read(ref calls) == 1);
        feed.Send("failing");
        var latest = feed.Send("anomalous");
        await Task.Delay(Tick * 5);
        Assert.Equal(1, Volatile.Read(ref calls));

        release.SetResult();
        await WaitUntil(() => ReferenceEquals(lastShown, latest));
        Assert.Equal(2, Volatile.Read(ref calls));
    }

    [Fact]
    public async Task DisposedSubscription_LeavesItsView_AndIsShownNothingMore()
    {
        var feed = new FakeFeed();
        var calls = 0;
        var subscription = _ticker.Start(feed.View(), _ =>
        {
            Interlocked.Increment(ref calls);
            return Task.CompletedTask;
        });
        feed.Send("ok");
        await WaitUntil(() => Volatile.Read(ref calls) == 1);

        subscription.Dispose();
        Assert.True(feed.Left);
        Assert.Equal(0, _ticker.Count);
        feed.Send("failing");
        await Task.Delay(Tick * 5);
        Assert.Equal(1, Volatile.Read(ref calls));
    }

    private static async Task WaitUntil(Func<bool> condition)
    {
        var deadline = DateTime.UtcNow.AddSeconds(5);
        while (!condition())
        {
            Assert.True(DateTime.UtcNow < deadline, "not within 5 s");
            await Task.Delay(10);
        }
    }

    /// <summary>A scope's feed as a page sees it: a channel that keeps the latest, and the latest itself.</summary>
    private sealed class FakeFeed
    {
        private readonly Channel<LiveSnapshot> _channel = Channel.CreateBounded<LiveSnapshot>(new BoundedChannelOptions(1) { FullMode = BoundedChannelFullMode.DropOldest });
        private LiveSnapshot? _latest;

        public bool Left { get; private set; }

        public LiveView View() => new(_channel.Reader, () => Left = true, () => Volatile.Read(ref _latest));

        public LiveSnapshot Send(string status)
        {
            var kpi = new LiveKpi(1, 0, 0, 0, null, 0, null, 0, null, new Dictionary<string, long>(), new Dictionary<string, double>());
            var snapshot = new LiveSnapshot("acme", "p1", "l1", DateTimeOffset.UtcNow, status, new LiveKpis(kpi, kpi, kpi), null, [], [], [], 0, 0);
            Volatile.Write(ref _latest, snapshot);
            _channel.Writer.TryWrite(snapshot);
            return snapshot;
        }
    }
}
