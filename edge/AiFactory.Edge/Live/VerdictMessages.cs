using System.Buffers;
using System.Text.Json;
using AiFactory.Edge.Core.Stations;
using AiFactory.Edge.Sources.Mqtt;

namespace AiFactory.Edge.Live;

/// <summary>
/// Turns verdicts into MQTT messages on each station's topic. With one result per message (the default) every
/// verdict is published at once as a JSON object. With <c>max_results_per_message</c> N &gt; 1, the verdicts that one
/// delivery round produced for a station (the frames a batch scored together) leave as one JSON array of up to N
/// objects when the round ends: no verdict waits for others, but a station scoring thousands of frames a second
/// costs the broker, the network and every subscriber one message per batch instead of one per frame.
/// </summary>
internal sealed class VerdictMessages
{
    private readonly MqttVerdictPublisher _publisher;
    private readonly int _maxPerMessage;
    private readonly Lock _gate = new();
    private readonly ArrayBufferWriter<byte> _single = new(512);
    private readonly Utf8JsonWriter _singleWriter;
    private readonly Dictionary<string, Pack> _packs = new(StringComparer.Ordinal);
    private int _pending;
    private long _verdicts;

    public VerdictMessages(MqttVerdictPublisher publisher, int maxPerMessage)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(maxPerMessage, 1);
        _publisher = publisher;
        _maxPerMessage = maxPerMessage;
        _singleWriter = new Utf8JsonWriter(_single);
    }

    /// <summary>Verdicts in the messages the broker client accepted.</summary>
    public long Verdicts => Interlocked.Read(ref _verdicts);

    public int MaxPerMessage => _maxPerMessage;

    public void Add(AnomalyResult r)
    {
        lock (_gate)
        {
            ResultJson.Write(Begin(r.Station), r);
            End(r.Station);
        }
    }

    public void Add(ClassificationResult r, IReadOnlyList<string> classes)
    {
        lock (_gate)
        {
            ResultJson.Write(Begin(r.Station), r, classes);
            End(r.Station);
        }
    }

    /// <summary>The delivery round has ended: publishes every station's packed verdicts.</summary>
    public void EndOfRound()
    {
        if (Volatile.Read(ref _pending) == 0)
        {
            return;
        }

        lock (_gate)
        {
            foreach (var (station, pack) in _packs)
            {
                if (pack.Count > 0)
                {
                    Publish(station, pack);
                }
            }

            _pending = 0;
        }
    }

    private Utf8JsonWriter Begin(string station)
    {
        if (_maxPerMessage == 1)
        {
            _single.ResetWrittenCount();
            _singleWriter.Reset(_single);
            return _singleWriter;
        }

        if (!_packs.TryGetValue(station, out var pack))
        {
            _packs[station] = pack = new Pack();
        }

        if (pack.Count == 0)
        {
            pack.Writer.WriteStartArray();
        }

        return pack.Writer;
    }

    private void End(string station)
    {
        if (_maxPerMessage == 1)
        {
            _singleWriter.Flush();
            if (_publisher.Publish(station, _single.WrittenSpan))
            {
                Interlocked.Increment(ref _verdicts);
            }

            return;
        }

        var pack = _packs[station];
        pack.Count++;
        _pending++;
        if (pack.Count == _maxPerMessage)
        {
            Publish(station, pack);
        }
    }

    private void Publish(string station, Pack pack)
    {
        pack.Writer.WriteEndArray();
        pack.Writer.Flush();
        if (_publisher.Publish(station, pack.Buffer.WrittenSpan))
        {
            Interlocked.Add(ref _verdicts, pack.Count);
        }

        pack.Buffer.ResetWrittenCount();
        pack.Writer.Reset(pack.Buffer);
        pack.Count = 0;
    }

    private sealed class Pack
    {
        public Pack() => Writer = new Utf8JsonWriter(Buffer);

        public ArrayBufferWriter<byte> Buffer { get; } = new(4096);

        public Utf8JsonWriter Writer { get; }

        public int Count { get; set; }
    }
}
