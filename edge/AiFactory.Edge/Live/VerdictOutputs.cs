using AiFactory.Edge.Config;
using AiFactory.Edge.Core.Stations;
using AiFactory.Edge.Sources.Modbus;
using AiFactory.Edge.Sources.Mqtt;
using Microsoft.Extensions.Logging;

namespace AiFactory.Edge.Live;

/// <summary>
/// Where verdicts go besides the console: the plant broker (JSON per station topic) and the line PLC (Modbus).
/// A reload that changes the <c>outputs:</c> section replaces the whole set; stations keep running.
/// </summary>
internal sealed class VerdictOutputs
{
    // The publisher outlives the sources: frames still in flight at stop are published before it disconnects.
    private readonly CancellationTokenSource _publisherStop = new();
    private readonly Task<bool> _publishing;
    private readonly VerdictMessages? _messages;

    public VerdictOutputs(EdgeConfig config, ILoggerFactory logs)
    {
        Publisher = config.MqttOutput is { } output ? new MqttVerdictPublisher(output.Broker, output.Topic, output.Qos, logs.CreateLogger<MqttVerdictPublisher>()) : null;
        _messages = Publisher is null ? null : new VerdictMessages(Publisher, config.MqttOutput!.MaxResultsPerMessage);
        _publishing = Publisher?.StartAsync(_publisherStop.Token) ?? Task.FromResult(true);
        Plc = config.ModbusOutput is { } m ? new ModbusVerdictWriter(m.Bus, m.Slave, m.Registers, m.Coils) : null;
    }

    public MqttVerdictPublisher? Publisher { get; }

    public ModbusVerdictWriter? Plc { get; }

    /// <summary>How the MQTT output went, for the run's summary: verdicts, and the messages that carried them when packed.</summary>
    public string? DescribeMqtt() => Publisher is null || _messages is null
        ? null
        : $"output mqtt: {_messages.Verdicts} verdicts published to {Publisher.TopicFor("<station>")}"
          + (_messages.MaxPerMessage > 1 ? $" in {Publisher.Published} messages (up to {_messages.MaxPerMessage} per message)" : string.Empty)
          + $", {Publisher.Failed} refused{(Publisher.Status.LastError is { } e ? $"; last problem: {e}" : string.Empty)}";

    // Verdict codes for the PLC: anomaly stations 1 = anomalous, 0 = normal; classifiers class index + 1 (0 = none yet).
    public void OnAnomaly(AnomalyResult r)
    {
        if (!r.Calibrating)
        {
            _messages?.Add(r);
            Plc?.Write(r.Station, r.Anomaly ? 1 : 0);
        }
    }

    public void OnClassification(ClassificationResult r, IReadOnlyList<string> classes)
    {
        _messages?.Add(r, classes);
        if (r.Error is null)
        {
            Plc?.Write(r.Station, r.ClassIndex + 1);
        }
    }

    /// <summary>The routing loop has delivered what was ready: packed verdicts leave now.</summary>
    public void EndOfRound() => _messages?.EndOfRound();

    /// <summary>Stops the publisher's loop, lets queued verdicts leave (up to <paramref name="flush"/>), then disconnects and closes everything.</summary>
    public async Task StopAsync(TimeSpan flush)
    {
        EndOfRound();
        await _publisherStop.CancelAsync().ConfigureAwait(false);
        await _publishing.ConfigureAwait(false);
        if (Publisher is not null)
        {
            await Publisher.FlushAsync(flush).ConfigureAwait(false);
        }

        if (Publisher is not null)
        {
            await Publisher.DisposeAsync().ConfigureAwait(false);
        }

        Plc?.Dispose();
        _publisherStop.Dispose();
    }
}
