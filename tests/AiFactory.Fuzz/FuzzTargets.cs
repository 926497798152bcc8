using System.IO.Compression;
using System.Text;
using System.Text.Json;
using AiFactory.Contracts;
using AiFactory.Edge.Config;
using AiFactory.Edge.Core.Models;
using AiFactory.Edge.Core.Samples;
using AiFactory.Edge.Sources.Decoding;
using AiFactory.Edge.Sources.Decoding.Sparkplug;
using AiFactory.Hub.Hosting;
using AiFactory.Hub.Ingest;

namespace AiFactory.Fuzz;

/// <summary>
/// One target per parser. Each does with the input what the product does and catches exactly what the product turns
/// into a clear error (a returned problem, a 400, a listed configuration problem); anything else escapes and is a crash.
/// </summary>
internal static class FuzzTargets
{
    private const int MaxInflated = 8 * 1024 * 1024;
    private static readonly DateTimeOffset Arrival = new(2026, 11, 22, 9, 0, 0, TimeSpan.Zero);
    private static readonly string Scratch = Directory.CreateTempSubdirectory("aifactory-fuzz-").FullName;

    public static readonly IReadOnlyDictionary<string, Action<byte[]>> All = new Dictionary<string, Action<byte[]>>(StringComparer.Ordinal)
    {
        ["json"] = data => new JsonPayloadDecoder(new Dictionary<string, string> { ["a"] = "a", ["b"] = "x.b[1]", ["c"] = "values[0]" }, "ts").Decode(data, Arrival, []),
        ["delimited"] = data => new DelimitedPayloadDecoder(';', new Dictionary<string, int> { ["a"] = 1, ["b"] = 2 }, 0).Decode(data, Arrival, []),
        ["number"] = data => new NumberPayloadDecoder("a").Decode(data, Arrival, []),
        ["sparkplug"] = Sparkplug,
        ["ingest"] = Ingest,
        ["config"] = Config,
        ["card"] = Card,
    };

    /// <summary>The first line is the topic (as the broker would hand it over), the rest the payload; births teach aliases that later data uses.</summary>
    private static void Sparkplug(byte[] data)
    {
        var decoder = new SparkplugDecoder(new Dictionary<string, string> { ["n/d/A"] = "a", ["n/d/B"] = "b", ["n/T"] = "t" });
        var output = new List<TagSample>();
        var newline = Array.IndexOf(data, (byte)'\n');
        var topic = newline < 0 ? "spBv1.0/g/DDATA/n/d" : Encoding.UTF8.GetString(data, 0, newline);
        var payload = newline < 0 ? data : data[(newline + 1)..];
        decoder.Decode("spBv1.0/g/DBIRTH/n/d", payload, Arrival, output);
        decoder.Decode(topic, payload, Arrival, output);
    }

    /// <summary>The hub's ingest body: gzip when it starts with gzip's magic bytes (inflated up to the hub's 8 MiB), then an UplinkBatch, then its shape check.</summary>
    private static void Ingest(byte[] data)
    {
        try
        {
            var body = data.Length > 2 && data[0] == 0x1f && data[1] == 0x8b ? Inflate(data) : data;
            var batch = JsonSerializer.Deserialize(body, AiFactoryJsonContext.Default.UplinkBatch) ?? throw HubProblemException.BadRequest("body is JSON null");
            BatchValidator.CheckShape(batch, 10_000);
        }
        catch (Exception ex) when (ex is JsonException or InvalidDataException or HubProblemException)
        {
        }
    }

    private static void Config(byte[] data)
    {
        var file = Path.Combine(Scratch, "line.yaml");
        File.WriteAllBytes(file, data);
        try
        {
            EdgeConfigReader.Read(file);
        }
        catch (EdgeConfigException)
        {
        }
    }

    private static void Card(byte[] data)
    {
        var folder = Path.Combine(Scratch, "model");
        Directory.CreateDirectory(folder);
        File.WriteAllBytes(Path.Combine(folder, "card.yaml"), data);
        try
        {
            ModelCardReader.Read(folder);
        }
        catch (ModelCardException)
        {
        }
    }

    private static byte[] Inflate(byte[] data)
    {
        using var gzip = new GZipStream(new MemoryStream(data), CompressionMode.Decompress);
        using var inflated = new MemoryStream();
        var chunk = new byte[81920];
        int read;
        while ((read = gzip.Read(chunk)) > 0)
        {
            if (inflated.Length + read > MaxInflated)
            {
                throw HubProblemException.TooLarge("inflated body over 8 MiB");
            }

            inflated.Write(chunk, 0, read);
        }

        return inflated.ToArray();
    }
}
