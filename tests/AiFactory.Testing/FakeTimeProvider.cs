namespace AiFactory.Testing;

/// <summary>A clock that moves only when a test calls <see cref="Advance"/>; its timers fire then, on the caller's thread.</summary>
public sealed class FakeTimeProvider : TimeProvider
{
    private readonly Lock _gate = new();
    private readonly List<FakeTimer> _timers = [];
    private long _ticks = TimeSpan.FromDays(1).Ticks;

    public override long TimestampFrequency => TimeSpan.TicksPerSecond;

    public override long GetTimestamp() => Interlocked.Read(ref _ticks);

    public override DateTimeOffset GetUtcNow() => new DateTimeOffset(2026, 1, 1, 0, 0, 0, TimeSpan.Zero).AddTicks(GetTimestamp());

    /// <summary>Timers that will fire when the clock reaches their due time (so a test can wait until one is set).</summary>
    public int ArmedTimers
    {
        get
        {
            lock (_gate)
            {
                return _timers.Count(t => t.DueAt is not null);
            }
        }
    }

    public void Advance(TimeSpan by)
    {
        Interlocked.Add(ref _ticks, by.Ticks);
        List<FakeTimer> due;
        lock (_gate)
        {
            due = _timers.FindAll(t => t.DueAt is { } at && at <= _ticks);
        }

        foreach (var timer in due)
        {
            timer.Fire();
        }
    }

    public override ITimer CreateTimer(TimerCallback callback, object? state, TimeSpan dueTime, TimeSpan period)
    {
        var timer = new FakeTimer(this, callback, state);
        lock (_gate)
        {
            _timers.Add(timer);
        }

        timer.Change(dueTime, period);
        return timer;
    }

    private void Remove(FakeTimer timer)
    {
        lock (_gate)
        {
            _timers.Remove(timer);
        }
    }

    private sealed class FakeTimer(FakeTimeProvider owner, TimerCallback callback, object? state) : ITimer
    {
        private const long NotDue = long.MinValue;
        private long _dueAt = NotDue;

        public long? DueAt => Interlocked.Read(ref _dueAt) is var at && at != NotDue ? at : null;

        public bool Change(TimeSpan dueTime, TimeSpan period)
        {
            // Periodic timers are not needed by the code under test; a period is ignored.
            Interlocked.Exchange(ref _dueAt, dueTime == Timeout.InfiniteTimeSpan ? NotDue : owner.GetTimestamp() + dueTime.Ticks);
            return true;
        }

        public void Fire()
        {
            Interlocked.Exchange(ref _dueAt, NotDue);
            callback(state);
        }

        public void Dispose() => owner.Remove(this);

        public ValueTask DisposeAsync()
        {
            Dispose();
            return ValueTask.CompletedTask;
        }
    }
}
