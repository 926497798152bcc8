using Xunit;

namespace AiFactory.Testing;

/// <summary>A fact that needs the test PostgreSQL started by deploy/test.sh; skipped, saying why, without it.</summary>
[AttributeUsage(AttributeTargets.Method)]
public sealed class PostgresFactAttribute : FactAttribute
{
    public PostgresFactAttribute()
    {
        if (PostgresDatabase.Missing is { } why)
        {
            Skip = why;
        }
    }
}
