namespace AiFactory.Hub.Live;

/// <summary>
/// The latest events of a scope, newest first (time descending, then edge and sequence, as SQL orders them), each
/// once however often it is reported.
/// </summary>
public sealed class EventLog(int capacity)
{
    private readonly List<LiveEvent> _items = [];

    public IReadOnlyList<LiveEvent> Items => _items;

    /// <summary>Keeps the event if it is among the latest and not yet kept; answers whether it was added.</summary>
    public bool Add(LiveEvent e)
    {
        var at = 0;
        while (at < _items.Count && Compare(_items[at], e) < 0)
        {
            at++;
        }

        if (at < _items.Count && Compare(_items[at], e) == 0)
        {
            return false;
        }

        if (at >= capacity)
        {
            return false;
        }

        _items.Insert(at, e);
        if (_items.Count > capacity)
        {
            _items.RemoveAt(_items.Count - 1);
        }

        return true;
    }

    private static int Compare(LiveEvent a, LiveEvent b)
    {
        var c = b.TimeUtc.CompareTo(a.TimeUtc);
        c = c != 0 ? c : string.CompareOrdinal(a.EdgeId, b.EdgeId);
        return c != 0 ? c : a.Sequence.CompareTo(b.Sequence);
    }
}
