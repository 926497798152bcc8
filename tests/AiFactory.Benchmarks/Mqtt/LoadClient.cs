using System.Buffers.Binary;
using System.Net;
using System.Net.Sockets;
using System.Text;

namespace AiFactory.Benchmarks.Mqtt;

/// <summary>
/// The benchmark's own load generator and verdict reader: a minimal MQTT 3.1.1 client (QoS 0 only) on a plain
/// socket, written from the protocol's packet layout. It is not the product's client (the agent uses MQTTnet);
/// it exists so that the harness costs little CPU on the machine it measures. Every sample is still its own PUBLISH
/// packet, but the packets due together go to the kernel in one send, and received packets are parsed out of large
/// reads. With libmosquitto (one pipe wake-up per publish, one-byte reads per packet header) the harness itself
/// needed ~0.8 of the machine's two cores at 20,000 samples/s, charged to the agent's latency.
/// </summary>
internal sealed class LoadClient : IDisposable
{
    private const byte ConnectPacket = 0x10;
    private const byte ConnAckPacket = 0x20;
    private const byte PublishPacket = 0x30;
    private const byte SubscribePacket = 0x82;
    private const byte SubAckPacket = 0x90;

    private readonly Socket _socket;
    private readonly byte[] _receive = new byte[1 << 20];
    private int _receiveStart;
    private int _receiveEnd;
    private byte[] _send = new byte[1 << 16];
    private int _sendLength;

    public LoadClient(int port, string clientId)
    {
        _socket = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp) { NoDelay = true };
        _socket.Connect(IPAddress.Loopback, port);
        var id = Encoding.UTF8.GetBytes(clientId);
        // Variable header: protocol name "MQTT", level 4 (3.1.1), flags: clean session, keep-alive 0 (off).
        Span<byte> header = [0, 4, (byte)'M', (byte)'Q', (byte)'T', (byte)'T', 4, 0x02, 0, 0];
        BeginPacket(ConnectPacket, header.Length + 2 + id.Length);
        Append(header);
        AppendString(id);
        Flush();
        var type = ReadPacket(out var start, out var length);
        var body = _receive.AsSpan(start, length);
        if (type != ConnAckPacket || body.Length < 2 || body[1] != 0)
        {
            throw new InvalidOperationException($"load client '{clientId}': the broker did not accept the connection (packet 0x{type:x2})");
        }
    }

    /// <summary>Subscribes at QoS 0 and waits for the broker's acknowledgement.</summary>
    public void Subscribe(string filter)
    {
        var topic = Encoding.UTF8.GetBytes(filter);
        BeginPacket(SubscribePacket, 2 + 2 + topic.Length + 1);
        Append([0, 1]);
        AppendString(topic);
        Append([0]);
        Flush();
        while (true)
        {
            var type = ReadPacket(out var start, out var length);
            var body = _receive.AsSpan(start, length);
            if (type == SubAckPacket)
            {
                if (body.Length < 3 || body[2] == 0x80)
                {
                    throw new InvalidOperationException($"load client: the broker refused the subscription to '{filter}'");
                }

                return;
            }
        }
    }

    /// <summary>Adds one QoS 0 PUBLISH to the pending send; <see cref="Flush"/> hands the pending packets to the kernel.</summary>
    public void Add(ReadOnlySpan<byte> topic, ReadOnlySpan<byte> payload)
    {
        BeginPacket(PublishPacket, 2 + topic.Length + payload.Length);
        AppendString(topic);
        Append(payload);
    }

    public void Flush()
    {
        var sent = 0;
        while (sent < _sendLength)
        {
            sent += _socket.Send(_send.AsSpan(sent, _sendLength - sent), SocketFlags.None);
        }

        _sendLength = 0;
    }

    /// <summary>Reads packets until the socket closes, handing each PUBLISH's topic and payload to <paramref name="onMessage"/>.</summary>
    public void ReadMessages(Action<ReadOnlySpan<byte>, ReadOnlySpan<byte>> onMessage)
    {
        while (true)
        {
            var type = ReadPacket(out var start, out var length);
            var body = _receive.AsSpan(start, length);
            if (type < 0)
            {
                return;
            }

            if ((type & 0xF0) == PublishPacket && body.Length >= 2)
            {
                var topicLength = BinaryPrimitives.ReadUInt16BigEndian(body);
                // QoS 0 only: no packet identifier follows the topic.
                onMessage(body.Slice(2, topicLength), body[(2 + topicLength)..]);
            }
        }
    }

    public void Dispose()
    {
        try
        {
            _socket.Shutdown(SocketShutdown.Both);
        }
        catch (SocketException)
        {
        }

        _socket.Dispose();
    }

    private void BeginPacket(byte type, int remaining)
    {
        EnsureSend(1 + 4 + remaining);
        _send[_sendLength++] = type;
        do
        {
            var b = (byte)(remaining % 128);
            remaining /= 128;
            _send[_sendLength++] = remaining > 0 ? (byte)(b | 0x80) : b;
        }
        while (remaining > 0);
    }

    private void AppendString(ReadOnlySpan<byte> text)
    {
        BinaryPrimitives.WriteUInt16BigEndian(_send.AsSpan(_sendLength), (ushort)text.Length);
        _sendLength += 2;
        Append(text);
    }

    private void Append(ReadOnlySpan<byte> bytes)
    {
        bytes.CopyTo(_send.AsSpan(_sendLength));
        _sendLength += bytes.Length;
    }

    private void EnsureSend(int more)
    {
        if (_sendLength + more > _send.Length)
        {
            Array.Resize(ref _send, Math.Max(_send.Length * 2, _sendLength + more));
        }
    }

    /// <summary>The next packet's type byte, and where its body lies in the receive buffer (until the next read); −1 when the socket has closed.</summary>
    private int ReadPacket(out int start, out int length)
    {
        while (true)
        {
            if (TryParse(out var type, out start, out length))
            {
                return type;
            }

            if (_receiveStart > 0)
            {
                _receive.AsSpan(_receiveStart, _receiveEnd - _receiveStart).CopyTo(_receive);
                _receiveEnd -= _receiveStart;
                _receiveStart = 0;
            }

            if (_receiveEnd == _receive.Length)
            {
                throw new InvalidOperationException("load client: a packet larger than the receive buffer");
            }

            int read;
            try
            {
                read = _socket.Receive(_receive.AsSpan(_receiveEnd), SocketFlags.None);
            }
            catch (SocketException)
            {
                return -1;
            }
            catch (ObjectDisposedException)
            {
                return -1;
            }

            if (read == 0)
            {
                return -1;
            }

            _receiveEnd += read;
        }
    }

    private bool TryParse(out int type, out int start, out int length)
    {
        type = start = length = 0;
        var at = _receiveStart;
        if (_receiveEnd - at < 2)
        {
            return false;
        }

        type = _receive[at++];
        var multiplier = 1;
        byte b;
        do
        {
            if (at == _receiveEnd)
            {
                return false;
            }

            b = _receive[at++];
            length += (b & 0x7F) * multiplier;
            multiplier *= 128;
        }
        while ((b & 0x80) != 0);

        if (_receiveEnd - at < length)
        {
            return false;
        }

        start = at;
        _receiveStart = at + length;
        return true;
    }
}
