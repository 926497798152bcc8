using System.Text.Json;
using AiFactory.Contracts;
using AiFactory.Edge.Uplink.Models;

namespace AiFactory.Edge.Uplink.Tests.Support;

/// <summary>
/// The child process of the kill -9 download test: downloads a package into a cache, writes every file but the last,
/// prints "downloading &lt;file&gt;" and then waits forever on the last one, until it is killed.
/// </summary>
internal static class PackageChild
{
    public const string Command = "package-child";

    public static async Task<int> RunAsync(string cache, string refJson, string sourceFolder)
    {
        var package = JsonSerializer.Deserialize(await File.ReadAllTextAsync(refJson), AiFactoryJsonContext.Default.DesiredState)!.Stations[0].Production!;
        var files = Directory.GetFiles(sourceFolder).Select(Path.GetFileName).Order(StringComparer.Ordinal).ToList();
        await new PackageCache(cache).EnsureAsync(
            package,
            async (file, ct) =>
            {
                if (file == files[^1])
                {
                    await Console.Out.WriteLineAsync($"downloading {file}");
                    await Task.Delay(Timeout.Infinite, ct);
                }

                return await File.ReadAllBytesAsync(Path.Combine(sourceFolder, file!), ct);
            },
            CancellationToken.None);
        return 0;
    }
}
