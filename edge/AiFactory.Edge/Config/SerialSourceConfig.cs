using System.IO.Ports;
using System.Text.RegularExpressions;
using AiFactory.Edge.Sources.Serial;
using Microsoft.Extensions.Logging;

namespace AiFactory.Edge.Config;

internal static class SerialSourceConfig
{
    private static readonly Dictionary<string, Parity> Parities = new(StringComparer.Ordinal)
    {
        ["N"] = Parity.None,
        ["E"] = Parity.Even,
        ["O"] = Parity.Odd,
        ["M"] = Parity.Mark,
        ["S"] = Parity.Space,
    };

    private static readonly Dictionary<string, StopBits> Stops = new(StringComparer.Ordinal)
    {
        ["1"] = StopBits.One,
        ["2"] = StopBits.Two,
    };

    private static readonly Dictionary<string, Handshake> Handshakes = new(StringComparer.Ordinal)
    {
        ["none"] = Handshake.None,
        ["rts_cts"] = Handshake.RequestToSend,
        ["xon_xoff"] = Handshake.XOnXOff,
        ["rts_cts_xon_xoff"] = Handshake.RequestToSendXOnXOff,
    };

    public static SourceDefinition? Read(ConfigNode item, string name)
    {
        var device = item.String("device", required: true, hint: "e.g. /dev/ttyUSB0, /dev/serial/by-id/... or COM3");
        var pattern = item.String("pattern", required: true, hint: "a regular expression whose named groups are the tags, e.g. T=(?<temp>[-\\d.]+)");
        var prefix = item.String("tag_prefix") ?? string.Empty;
        var baud = item.Int("baud", SerialPortOptions.DefaultBaud, 1200, 230400);
        if (!SerialPortOptions.StandardBauds.Contains(baud))
        {
            item.Problems.Add(item.Child("baud"), item.Key("baud"), $"{baud} is not a standard rate", string.Join(", ", SerialPortOptions.StandardBauds));
        }

        var parity = Choice(item, "parity", Parities, Parity.None, "must be N, E, O, M or S");
        var stopBits = Choice(item, "stop_bits", Stops, StopBits.One, "must be 1 or 2");
        var handshake = Choice(item, "handshake", Handshakes, Handshake.None, "is not a handshake", "none, rts_cts, xon_xoff or rts_cts_xon_xoff");
        var tags = new List<string>();
        if (pattern is not null)
        {
            try
            {
                tags.AddRange(new Regex(pattern).GetGroupNames().Where(g => !int.TryParse(g, out _)).Select(g => prefix + g));
            }
            catch (ArgumentException ex)
            {
                item.Problems.Add(item.Child("pattern"), item.Key("pattern"), $"not a valid regular expression: {ex.Message}");
                return null;
            }
        }

        if (device is null || pattern is null)
        {
            return null;
        }

        var options = new SerialPortOptions
        {
            Name = name,
            Device = device,
            Baud = baud,
            Parity = parity,
            DataBits = item.Int("data_bits", SerialPortOptions.DefaultDataBits, 5, 8),
            StopBits = stopBits,
            Handshake = handshake,
            Terminator = Regex.Unescape(item.String("terminator") ?? "\\n"),
            MaxLineLength = item.Int("max_line_length", SerialPortOptions.DefaultMaxLineLength, 16, 65536),
            ReadTimeout = TimeSpan.FromMilliseconds(item.Int("read_timeout_ms", SerialPortOptions.DefaultReadTimeoutMilliseconds, 10, 60_000)),
            Parser = new RegexLineParser(pattern, prefix),
        };
        return new SourceDefinition(name, "serial", tags, logs => new SerialLineSource(options, logs.CreateLogger<SerialLineSource>()));
    }

    private static T Choice<T>(ConfigNode item, string key, Dictionary<string, T> choices, T fallback, string problem, string? hint = null)
    {
        var text = item.String(key);
        if (text is null)
        {
            return fallback;
        }

        if (choices.TryGetValue(text, out var value))
        {
            return value;
        }

        item.Problems.Add(item.Child(key), item.Key(key), $"'{text}' {problem}", hint);
        return fallback;
    }
}
