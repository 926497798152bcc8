using System.Runtime.CompilerServices;

namespace AiFactory.Hub.Live;

/// <summary>
/// Orleans 10.4.2 starts an activation's message loop while it holds that activation's lock (ActivationData.Start), so
/// whatever the new activation runs before its first real await runs under the lock: OnActivateAsync, and the first
/// request too when activation finished without awaiting. On SQLite every "async" database call completes at once, so
/// a grain could call another grain from there; when that grain is starting the same way and calls back, each thread
/// waits for the other's lock and both grains hang for good. The fault drill caught it: a new edge grain's first batch
/// told a new plant grain it was online while the plant, activating, woke that edge (every later call to either timed
/// out). Every hub grain leaves that lock first thing in OnActivateAsync, so its own work runs as a later turn.
/// </summary>
public static class ActivationLock
{
    /// <summary>Await first in OnActivateAsync: the rest of the activation runs as its own turn, outside the runtime's lock.</summary>
    public static YieldAwaitable LeaveAsync() => Task.Yield();
}
