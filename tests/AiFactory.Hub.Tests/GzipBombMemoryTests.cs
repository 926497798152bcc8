using System.IO.Compression;
using System.Net;
using System.Net.Http.Headers;
using System.Text;
using AiFactory.Hub.Tenancy;
using AiFactory.Hub.Tests.Support;
using AiFactory.Testing;
using Xunit.Abstractions;
using static AiFactory.Hub.Tests.Support.Batches;

namespace AiFactory.Hub.Tests;

/// <summary>
/// A burst of gzip bombs is refused (413) and leaves the hub's resident memory near where it was: the ingest pool
/// keeps only small buffers and the hub trims its heap once the burst is over.
/// </summary>
[Trait("Category", "Integration")]
public sealed class GzipBombMemoryTests(ITestOutputHelper output)
{
    /// <summary>What the hub may keep above its warmed-up baseline once it has been idle after the bombs.</summary>
    private const long AllowedGrowthBytes = 64L * 1024 * 1024;

    [Fact]
    public async Task FourBombsThenIdle_ResidentMemoryReturnsNearBaseline()
    {
        var dir = Directory.CreateTempSubdirectory("aifactory-bomb-").FullName;
        var adminKey = ApiKey.Generate().Key;
        await using var hub = await HubProcess.StartAsync("Sqlite", $"Data Source={Path.Combine(dir, "hub.db")}", adminKey, "--Hub:Ingest:TrimAfterIdle=00:00:01");
        using var admin = ReliabilityTests.Client(hub.Address, adminKey);
        using var edge = ReliabilityTests.Client(hub.Address, await ReliabilityTests.SetupAsync(admin));
        for (var i = 0; i < 20; i++)
        {
            (await edge.PostAsync("/api/v1/ingest", Json(Batch("e1", i + 1, [Summary("e1", "acme", "p1", "l1", "s1", T0.AddMinutes(i), 20, 19, 1)]), gzip: true))).EnsureSuccessStatusCode();
        }

        var baseline = ResidentBytes(hub.ProcessId!.Value);
        var bomb = Bomb(40 * 1024 * 1024);
        var refused = await Task.WhenAll(Enumerable.Range(0, 4).Select(_ => edge.PostAsync("/api/v1/ingest", Content(bomb))));
        var peak = ResidentBytes(hub.ProcessId!.Value);
        long settled = 0;
        var drained = true;
        try
        {
            await Eventually.WaitFor(() => (settled = ResidentBytes(hub.ProcessId!.Value)) <= baseline + AllowedGrowthBytes, "resident memory back near the baseline");
        }
        catch (TimeoutException)
        {
            drained = false;
        }

        output.WriteLine($"RSS baseline {baseline / 1048576} MiB, after 4 bombs {peak / 1048576} MiB, after idle {settled / 1048576} MiB");
        Assert.All(refused, r => Assert.Equal(HttpStatusCode.RequestEntityTooLarge, r.StatusCode));
        Assert.True(drained, $"RSS stayed at {settled / 1048576} MiB after idle; baseline {baseline / 1048576} MiB, allowed growth {AllowedGrowthBytes / 1048576} MiB");
        (await edge.PostAsync("/api/v1/ingest", Json(Batch("e1", 21, [Summary("e1", "acme", "p1", "l1", "s1", T0.AddMinutes(30), 20, 19, 1)]), gzip: true))).EnsureSuccessStatusCode();
    }

    private static long ResidentBytes(int pid)
    {
        var line = File.ReadLines($"/proc/{pid}/status").First(l => l.StartsWith("VmRSS:", StringComparison.Ordinal));
        return long.Parse(line.Split(' ', StringSplitOptions.RemoveEmptyEntries)[1], System.Globalization.CultureInfo.InvariantCulture) * 1024;
    }

    /// <summary>A valid-looking start of a batch followed by <paramref name="inflated"/> bytes of spaces, gzip-compressed to a few kilobytes.</summary>
    private static byte[] Bomb(int inflated)
    {
        using var buffer = new MemoryStream();
        using (var z = new GZipStream(buffer, CompressionLevel.SmallestSize, leaveOpen: true))
        {
            z.Write(Encoding.ASCII.GetBytes("{\"edgeId\":\"e1\",\"records\":["));
            var spaces = new byte[1024 * 1024];
            spaces.AsSpan().Fill((byte)' ');
            for (var written = 0; written < inflated; written += spaces.Length)
            {
                z.Write(spaces);
            }
        }

        return buffer.ToArray();
    }

    private static ByteArrayContent Content(byte[] gzip)
    {
        var content = new ByteArrayContent(gzip);
        content.Headers.ContentType = new MediaTypeHeaderValue("application/json");
        content.Headers.ContentEncoding.Add("gzip");
        return content;
    }
}
