using System.Collections.Concurrent;
using System.Runtime.InteropServices;
using System.Threading.Channels;
using AiFactory.Edge.Core.Samples;
using AiFactory.Edge.Sources.Modbus.Native;
using AiFactory.Edge.Sources.Logging;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;

namespace AiFactory.Edge.Sources.Modbus;

/// <summary>
/// Polls one Modbus bus (TCP or RTU) through libmodbus on one dedicated thread: the slaves on it are read in
/// turn, group by group at each group's interval, with the configured response timeout, retries and pause
/// between requests. Exception responses, timeouts and CRC errors are counted per slave; a lost connection
/// is reopened after a delay. Nothing a slave answers stops the poller.
/// </summary>
public sealed partial class ModbusPoller(ModbusBusOptions options, ILogger? logger = null) : ISampleSource
{
    // errno values after which the connection itself is gone and must be reopened.
    // EIO, ENXIO, EBADF, ENODEV, EPIPE, ECONNRESET, ECONNREFUSED: the bus itself is gone, not one slave.
    private static readonly int[] ConnectionLost = [5, 6, 9, 19, 32, 104, 111];

    private readonly ILogger _logger = logger ?? NullLogger.Instance;
    private readonly BadInputLog _badInput = new(logger ?? NullLogger.Instance, $"Modbus bus '{options.Name}'", options.BadInputLogInterval);
    private readonly ConcurrentDictionary<int, ModbusSlaveCounters> _slaves = new();

    public string Name => options.Name;

    public SourceStatus Status { get; } = new();

    public ModbusSlaveCounters Slave(int id) => _slaves.GetOrAdd(id, _ => new ModbusSlaveCounters());

    public Task RunAsync(ChannelWriter<TagSample> writer, CancellationToken cancellationToken) =>
        Task.Factory.StartNew(() => Poll(writer, cancellationToken), cancellationToken, TaskCreationOptions.LongRunning, TaskScheduler.Default);

    private void Poll(ChannelWriter<TagSample> writer, CancellationToken cancellationToken)
    {
        var due = new DateTimeOffset[options.Groups.Count];
        ModbusHandle? bus = null;
        try
        {
            while (!cancellationToken.IsCancellationRequested)
            {
                bus ??= Open();
                if (bus is null)
                {
                    cancellationToken.WaitHandle.WaitOne(options.ReconnectDelay);
                    continue;
                }

                var now = DateTimeOffset.UtcNow;
                for (var g = 0; g < due.Length && bus is not null; g++)
                {
                    if (due[g] > now)
                    {
                        continue;
                    }

                    foreach (var point in options.Groups[g].Points)
                    {
                        if (!ReadPoint(bus, point, writer, cancellationToken))
                        {
                            bus.Dispose();
                            bus = null;
                            break;
                        }

                        cancellationToken.WaitHandle.WaitOne(options.InterRequestDelay);
                    }

                    due[g] = due[g] == default || due[g] + options.Groups[g].Interval < now ? now + options.Groups[g].Interval : due[g] + options.Groups[g].Interval;
                }

                var next = due.Length == 0 ? now + TimeSpan.FromSeconds(1) : due.Min();
                var wait = next - DateTimeOffset.UtcNow;
                if (wait > TimeSpan.Zero)
                {
                    cancellationToken.WaitHandle.WaitOne(wait);
                }
            }
        }
        finally
        {
            bus?.Dispose();
            Status.SetState(SourceState.Stopped);
        }
    }

    private ModbusHandle? Open()
    {
        Status.SetState(SourceState.Connecting);
        var where = options.Host is not null ? $"{options.Host}:{options.Port}" : options.Device;
        var bus = ModbusConnection.Open(options, out var error, out var created);
        if (bus is null)
        {
            Status.SetState(SourceState.Disconnected, created ? $"bus '{Name}' ({where}): cannot connect: {error}" : $"bus '{Name}' ({where}): {error}");
            if (created)
            {
                LogCannotConnect(_logger, Name, where ?? string.Empty, error);
            }

            return null;
        }

        if (Status.Reconnects > 0 || Status.Samples > 0)
        {
            Status.CountReconnect();
        }

        Status.SetState(SourceState.Connected);
        LogConnected(_logger, Name, where ?? string.Empty);
        return bus;
    }

    /// <returns>False when the connection is lost and must be reopened.</returns>
    private unsafe bool ReadPoint(ModbusHandle bus, ModbusPoint point, ChannelWriter<TagSample> writer, CancellationToken cancellationToken)
    {
        var counters = Slave(point.Slave);
        Span<ushort> registers = stackalloc ushort[2];
        Span<byte> bits = stackalloc byte[1];
        for (var attempt = 0; attempt <= options.Retries; attempt++)
        {
            LibModbus.SetSlave(bus, point.Slave);
            int read;
            fixed (ushort* r = registers)
            fixed (byte* b = bits)
            {
                read = point.Function switch
                {
                    ModbusFunction.HoldingRegisters => LibModbus.ReadRegisters(bus, point.Address, point.RegisterCount, r),
                    ModbusFunction.InputRegisters => LibModbus.ReadInputRegisters(bus, point.Address, point.RegisterCount, r),
                    ModbusFunction.Coils => LibModbus.ReadBits(bus, point.Address, 1, b),
                    _ => LibModbus.ReadInputBits(bus, point.Address, 1, b),
                };
            }

            if (read >= 0)
            {
                counters.Read();
                if (point.Function is ModbusFunction.Coils or ModbusFunction.DiscreteInputs)
                {
                    registers[0] = bits[0];
                }

                var sample = new TagSample(point.Tag, DateTimeOffset.UtcNow, point.Decode(registers[..point.RegisterCount]));
                if (!writer.TryWrite(sample))
                {
                    writer.WriteAsync(sample, cancellationToken).AsTask().GetAwaiter().GetResult();
                }

                Status.CountSample();
                return true;
            }

            var errno = Marshal.GetLastPInvokeError();
            counters.Failed(errno);
            Status.CountDecodeError($"slave {point.Slave}, {point.Function} {point.Address} (tag '{point.Tag}'): {LibModbus.Describe(errno)}");
            _badInput.Report($"slave {point.Slave} {errno}", $"slave {point.Slave}, {point.Function} {point.Address} (tag '{point.Tag}'): {LibModbus.Describe(errno)}");

            // The tag's reading failed: a Bad sample counts it on the tag, and its stations hold or drop per their policy.
            var bad = new TagSample(point.Tag, DateTimeOffset.UtcNow, double.NaN, SampleQuality.Bad);
            if (!writer.TryWrite(bad))
            {
                writer.WriteAsync(bad, cancellationToken).AsTask().GetAwaiter().GetResult();
            }

            // A serial adapter that was unplugged takes its device node with it; requests to it only time out.
            if (Array.IndexOf(ConnectionLost, errno) >= 0 || (options.Device is { } device && !File.Exists(device)))
            {
                Status.SetState(SourceState.Disconnected, $"bus '{Name}': connection lost: {LibModbus.Describe(errno)}");
                return false;
            }

            if (errno > LibModbus.ErrorBase && errno < LibModbus.BadCrc)
            {
                // An exception response is the slave's answer: retrying asks the same question again.
                return true;
            }
        }

        return true;
    }

    [LoggerMessage(EventId = 3100, Level = LogLevel.Information, Message = "Modbus bus {Bus}: connected to {Where}")]
    private static partial void LogConnected(ILogger logger, string bus, string where);

    [LoggerMessage(EventId = 3101, Level = LogLevel.Warning, Message = "Modbus bus {Bus}: cannot connect to {Where}: {Error}; retrying")]
    private static partial void LogCannotConnect(ILogger logger, string bus, string where, string error);
}
