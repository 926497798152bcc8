namespace AiFactory.Hub.Tests.Support;

/// <summary>Counts acknowledged batches across senders and signals when the count reaches the milestones asked for.</summary>
internal sealed class AckMilestones
{
    private readonly SortedList<int, TaskCompletionSource> _waiting = [];
    private int _acked;

    /// <summary>Completes once <paramref name="count"/> batches were acknowledged; fails after 180 s.</summary>
    public Task At(int count)
    {
        lock (_waiting)
        {
            var signal = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
            _waiting.Add(count, signal);
            return signal.Task.WaitAsync(TimeSpan.FromSeconds(180));
        }
    }

    public void OneMore()
    {
        var now = Interlocked.Increment(ref _acked);
        lock (_waiting)
        {
            while (_waiting.Count > 0 && _waiting.Keys[0] <= now)
            {
                _waiting.Values[0].TrySetResult();
                _waiting.RemoveAt(0);
            }
        }
    }
}
