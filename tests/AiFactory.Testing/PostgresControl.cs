using System.Diagnostics;

namespace AiFactory.Testing;

/// <summary>
/// Stops and starts the whole test PostgreSQL (same data directory, same port) through the script that
/// deploy/services/postgresql.sh writes and exports as AIFACTORY_TEST_POSTGRES_CTL; each call returns once the server
/// is down, or accepts connections again.
/// </summary>
public static class PostgresControl
{
    private static readonly string? Script = Environment.GetEnvironmentVariable("AIFACTORY_TEST_POSTGRES_CTL");

    /// <summary>Why the server cannot be controlled here, or null when it can.</summary>
    public static string? Missing => Script is null
        ? "AIFACTORY_TEST_POSTGRES_CTL is not set: run the suite with `bash deploy/test.sh`, which starts PostgreSQL on 127.0.0.1"
        : null;

    public static Task StopAsync() => RunAsync("stop");

    public static Task StartAsync() => RunAsync("start");

    public static Task RestartAsync() => RunAsync("restart");

    /// <summary>Runs the control script with <paramref name="verb"/> (stop, start or restart).</summary>
    public static async Task RunAsync(string verb)
    {
        var script = Script ?? throw new InvalidOperationException(Missing);
        using var p = Process.Start(new ProcessStartInfo(script, [verb]) { RedirectStandardOutput = true, RedirectStandardError = true })!;
        var stdout = p.StandardOutput.ReadToEndAsync();
        var stderr = p.StandardError.ReadToEndAsync();
        using var timeout = new CancellationTokenSource(TimeSpan.FromMinutes(2));
        await p.WaitForExitAsync(timeout.Token);
        if (p.ExitCode != 0)
        {
            throw new InvalidOperationException($"PostgreSQL control script '{script} {verb}' failed with exit code {p.ExitCode}: {(await stderr).Trim()} {(await stdout).Trim()}");
        }

        // The server's old sessions are gone: connections this process pooled before would fail their next command
        // with 57P01 (the drill's next scenario, creating its database, met one).
        Npgsql.NpgsqlConnection.ClearAllPools();
    }
}
