using Xunit;

namespace AiFactory.Testing;

/// <summary>A fact that needs Debian's nginx and the test PostgreSQL; skipped, saying why, without them.</summary>
[AttributeUsage(AttributeTargets.Method)]
public sealed class NginxFactAttribute : FactAttribute
{
    public NginxFactAttribute()
    {
        if ((NginxProxy.Missing ?? PostgresDatabase.Missing) is { } why)
        {
            Skip = why;
        }
    }
}
