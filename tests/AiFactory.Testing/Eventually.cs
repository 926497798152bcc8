namespace AiFactory.Testing;

/// <summary>Waits for a condition by polling, failing the test if it does not hold in time (never a bare sleep).</summary>
public static class Eventually
{
    public static readonly TimeSpan Patience = TimeSpan.FromSeconds(20);

    public static Task WaitFor(Func<bool> condition, string? what = null) => WaitFor(condition, what, Patience);

    public static async Task WaitFor(Func<bool> condition, string? what, TimeSpan patience)
    {
        var deadline = DateTime.UtcNow + patience;
        while (!condition())
        {
            if (DateTime.UtcNow > deadline)
            {
                throw new TimeoutException($"{what ?? "condition"} not reached in {patience.TotalSeconds} s");
            }

            await Task.Delay(20);
        }
    }

    /// <summary>The same for a condition that has to ask something (an HTTP read), polled every 100 ms.</summary>
    public static async Task WaitFor(Func<Task<bool>> condition, string what)
    {
        var deadline = DateTime.UtcNow + Patience;
        while (!await condition())
        {
            if (DateTime.UtcNow > deadline)
            {
                throw new TimeoutException($"{what} not reached in {Patience.TotalSeconds} s");
            }

            await Task.Delay(100);
        }
    }
}
