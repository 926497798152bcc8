using System.Threading.Channels;

namespace AiFactory.Edge.Core.Samples;

/// <summary>
/// A plant data source (MQTT broker, serial instrument, Modbus bus, simulator). It runs until cancelled,
/// writes every decoded value to the writer, and never throws for bad input: it counts it instead.
/// </summary>
public interface ISampleSource
{
    /// <summary>The configured source name, used in logs, status and metrics.</summary>
    string Name { get; }

    /// <summary>Connection state and counters, safe to read from any thread.</summary>
    SourceStatus Status { get; }

    /// <summary>Reads until <paramref name="cancellationToken"/> is cancelled; reconnects by itself.</summary>
    Task RunAsync(ChannelWriter<TagSample> writer, CancellationToken cancellationToken);
}
