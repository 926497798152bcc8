using Xunit;

namespace AiFactory.Testing;

/// <summary>A fact that needs Debian's mosquitto broker and clients; skipped, saying why, when they are absent.</summary>
[AttributeUsage(AttributeTargets.Method)]
public sealed class MosquittoFactAttribute : FactAttribute
{
    public MosquittoFactAttribute()
    {
        if (MosquittoBroker.Missing is { } why)
        {
            Skip = why;
        }
    }
}
