using System.Text.RegularExpressions;
using AiFactory.Edge.Sources.Serial;
using Microsoft.Extensions.Logging;

namespace AiFactory.Edge.Config;

internal static class SerialSourceConfig
{
    public static SourceDefinition? Read(ConfigNode item, string name)
    {
        var device = item.String("device", required: true, hint: "e.g. /dev/ttyUSB0 or /dev/serial/by-id/...");
        var pattern = item.String("pattern", required: true, hint: "a regular expression whose named groups are the tags, e.g. T=(?<temp>[-\\d.]+)");
        var prefix = item.String("tag_prefix") ?? string.Empty;
        var parity = item.String("parity") ?? "N";
        if (parity is not ("N" or "E" or "O"))
        {
            item.Problems.Add(item.Child("parity"), item.Key("parity"), $"'{parity}' must be N, E or O");
        }

        var baud = item.Int("baud", 9600, 1200, 230400);
        if (baud is not (1200 or 2400 or 4800 or 9600 or 19200 or 38400 or 57600 or 115200 or 230400))
        {
            item.Problems.Add(item.Child("baud"), item.Key("baud"), $"{baud} is not a standard rate", "1200, 2400, 4800, 9600, 19200, 38400, 57600, 115200 or 230400");
        }

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
            Parity = parity[0],
            DataBits = item.Int("data_bits", 8, 7, 8),
            StopBits = item.Int("stop_bits", 1, 1, 2),
            Terminator = Regex.Unescape(item.String("terminator") ?? "\\n"),
            MaxLineLength = item.Int("max_line_length", 1024, 16, 65536),
            Parser = new RegexLineParser(pattern, prefix),
        };
        return new SourceDefinition(name, "serial", tags, logs => new SerialLineSource(options, logs.CreateLogger<SerialLineSource>()));
    }
}
