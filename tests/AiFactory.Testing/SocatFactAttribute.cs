using Xunit;

namespace AiFactory.Testing;

/// <summary>A fact that needs socat for pty pairs; skipped, saying why, when it is absent.</summary>
[AttributeUsage(AttributeTargets.Method)]
public sealed class SocatFactAttribute : FactAttribute
{
    public SocatFactAttribute()
    {
        if (SocatPtyPair.Missing is { } why)
        {
            Skip = why;
        }
    }
}
