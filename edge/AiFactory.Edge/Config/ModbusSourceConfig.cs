using AiFactory.Edge.Sources.Modbus;
using AiFactory.Edge.Sources.Modbus.Native;
using Microsoft.Extensions.Logging;

namespace AiFactory.Edge.Config;

internal static class ModbusSourceConfig
{
    private static readonly Dictionary<string, ModbusFunction> Functions = new(StringComparer.Ordinal)
    {
        ["holding"] = ModbusFunction.HoldingRegisters,
        ["input"] = ModbusFunction.InputRegisters,
        ["coil"] = ModbusFunction.Coils,
        ["discrete"] = ModbusFunction.DiscreteInputs,
    };

    private static readonly Dictionary<string, ModbusValueType> Types = new(StringComparer.Ordinal)
    {
        ["int16"] = ModbusValueType.Int16,
        ["uint16"] = ModbusValueType.UInt16,
        ["int32"] = ModbusValueType.Int32,
        ["uint32"] = ModbusValueType.UInt32,
        ["float32"] = ModbusValueType.Float32,
    };

    public static SourceDefinition? Read(ConfigNode item, string name, Lazy<string?> modbusMissing)
    {
        CheckLibrary(item, modbusMissing);
        var host = item.String("host");
        var device = item.String("device");
        if ((host is null) == (device is null))
        {
            item.Problems.Add(item.Node, item.Path, "a Modbus bus needs either host (Modbus TCP) or device (Modbus RTU), not both", "host: 10.0.0.5  or  device: /dev/ttyUSB1");
        }

        var tags = new List<string>();
        var groups = new List<ModbusPollGroup>();
        foreach (var g in item.List("groups", "interval_ms", "points"))
        {
            var points = new List<ModbusPoint>();
            foreach (var p in g.List("points", "tag", "slave", "function", "address", "type", "swap_bytes", "low_word_first", "scale", "offset"))
            {
                if (Point(p) is { } point)
                {
                    points.Add(point);
                    tags.Add(point.Tag);
                }
            }

            groups.Add(new ModbusPollGroup(TimeSpan.FromMilliseconds(g.Int("interval_ms", 1000, 10, 3_600_000)), points));
        }

        var parity = item.String("parity") ?? "E";
        var options = new ModbusBusOptions
        {
            Name = name,
            Host = host,
            Port = item.Int("port", 502, 1, 65535),
            Device = device,
            Baud = item.Int("baud", 19200, 1200, 230400),
            Parity = parity.Length == 1 ? parity[0] : 'E',
            ResponseTimeout = TimeSpan.FromMilliseconds(item.Int("response_timeout_ms", 500, 10, 60_000)),
            InterRequestDelay = TimeSpan.FromMilliseconds(item.Int("inter_request_delay_ms", 5, 0, 10_000)),
            Retries = item.Int("retries", 1, 0, 10),
            Groups = groups,
        };
        return new SourceDefinition(name, "modbus", tags, logs => new ModbusPoller(options, logs.CreateLogger<ModbusPoller>()));
    }

    /// <summary>Names a missing libmodbus at the bus that needs it, so the agent does not start only to fail connecting.</summary>
    public static void CheckLibrary(ConfigNode bus, Lazy<string?> modbusMissing)
    {
        if (modbusMissing.Value is { } missing)
        {
            bus.Problems.Add(bus.Node, bus.Path, missing, LibModbusLocator.InstallHint);
        }
    }

    private static ModbusPoint? Point(ConfigNode p)
    {
        var tag = p.String("tag", required: true);
        var functionName = p.String("function") ?? "holding";
        var typeName = p.String("type") ?? "uint16";
        if (!Functions.TryGetValue(functionName, out var function))
        {
            p.Problems.Add(p.Child("function"), p.Key("function"), $"'{functionName}' is not a Modbus function", "holding, input, coil or discrete");
        }

        var type = function is ModbusFunction.Coils or ModbusFunction.DiscreteInputs ? ModbusValueType.Bit : ModbusValueType.UInt16;
        if (type != ModbusValueType.Bit && !Types.TryGetValue(typeName, out type))
        {
            p.Problems.Add(p.Child("type"), p.Key("type"), $"'{typeName}' is not a register type", "int16, uint16, int32, uint32 or float32");
        }

        var point = new ModbusPoint(
            tag ?? string.Empty,
            p.Int("slave", 1, 0, 247),
            function,
            p.Int("address", 0, 0, 65535),
            type,
            p.Bool("swap_bytes", false),
            p.Bool("low_word_first", false),
            p.Double("scale", 1.0),
            p.Double("offset", 0.0));
        return tag is null ? null : point;
    }
}
