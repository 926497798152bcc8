using AiFactory.Edge.Config;
using AiFactory.Edge.Core.Stations;
using AiFactory.Edge.Sources.Modbus;
using AiFactory.Edge.Sources.Mqtt;
using Microsoft.Extensions.Logging;

namespace AiFactory.Edge.Live;

/// <summary>Where a line's verdicts go: the console printer, the plant broker (JSON per station) and the line PLC (Modbus).</summary>
internal sealed class LineOutputs : IAsyncDisposable
{
    private readonly CancellationTokenSource _stop = new();
    private readonly Task<bool> _publishing;

    public LineOutputs(EdgeConfig config, LivePrinter printer, ILoggerFactory logs)
    {
        Printer = printer;
        Publisher = config.MqttOutput is { } output ? new MqttResultPublisher(output.Broker, output.Topic, output.Qos, logs.CreateLogger<MqttResultPublisher>()) : null;
        _publishing = Publisher?.StartAsync(_stop.Token) ?? Task.FromResult(true);
        Plc = config.ModbusOutput is { } m ? new ModbusVerdictWriter(m.Bus, m.Slave, m.Registers, m.Coils) : null;
    }

    public LivePrinter Printer { get; }

    public MqttResultPublisher? Publisher { get; }

    public ModbusVerdictWriter? Plc { get; }

    // Verdict codes for the PLC: anomaly stations 1 = anomalous, 0 = normal; classifiers class index + 1 (0 = none yet).
    public void OnAnomaly(AnomalyResult r)
    {
        Printer.OnAnomaly(r);
        if (!r.Calibrating)
        {
            Publisher?.Publish(r.Station, ResultJson.Of(r));
            Plc?.Write(r.Station, r.Anomaly ? 1 : 0);
        }
    }

    public void OnPart(ClassificationResult r, IReadOnlyList<string> classes)
    {
        Printer.OnPart(r);
        Publisher?.Publish(r.Station, ResultJson.Of(r, classes));
        if (r.Error is null)
        {
            Plc?.Write(r.Station, r.ClassIndex + 1);
        }
    }

    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync().ConfigureAwait(false);
        await _publishing.ConfigureAwait(false);
        Publisher?.Dispose();
        Plc?.Dispose();
        _stop.Dispose();
    }
}
