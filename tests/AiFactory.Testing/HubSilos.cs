namespace AiFactory.Testing;

/// <summary>
/// Hub processes that are silos of one Orleans cluster (ADO.NET clustering) on one PostgreSQL database, each on a fixed
/// silo port so a restarted process comes back on the same endpoint as a new generation.
/// </summary>
public static class HubSilos
{
    /// <summary>Starts <paramref name="count"/> silos at once (they migrate the database together, under the advisory lock).</summary>
    public static async Task<HubProcess[]> StartAsync(int count, string connectionString, string adminKey, string clusterId)
    {
        var starting = Enumerable.Range(0, count).Select(_ => HubProcess.StartAsync(
            "PostgreSql", connectionString, adminKey,
            "--Hub:Silo:Clustering=AdoNet", $"--Hub:Silo:SiloPort={FreePort.Next()}", $"--Hub:Silo:ClusterId={clusterId}",
            "--Hub:Silo:Dashboard=false", "--Serilog:MinimumLevel:Default=Warning")).ToArray();
        try
        {
            return await Task.WhenAll(starting);
        }
        catch
        {
            // A silo that fails to start must not leave the ones that did running after the test.
            foreach (var started in starting.Where(t => t.IsCompletedSuccessfully))
            {
                await started.Result.DisposeAsync();
            }

            throw;
        }
    }
}
