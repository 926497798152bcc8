namespace AiFactory.Hub.Dashboard;

/// <summary>
/// What a live page shows, held once for the page, and a signal that it changed. The page draws its frame once; each
/// <see cref="LivePart"/> on it asks the board for its own text when the board changes and redraws itself alone when
/// that text differs from what it shows. A snapshot that changes one figure of one tile so sends one text node to the
/// browser, instead of the page's whole component tree being rendered and diffed (which cost the hub about 0.012 of a
/// core per open line page at 500 summaries/s, in issue 15's benchmark). Used on the renderer's dispatcher only.
/// </summary>
public sealed class LiveBoard
{
    /// <summary>Raised, on the renderer's dispatcher, after the board's data changed.</summary>
    public event Action? Changed;

    /// <summary>Tells every part to look again (call on the renderer's dispatcher, after changing the data they read).</summary>
    public void Publish() => Changed?.Invoke();
}
