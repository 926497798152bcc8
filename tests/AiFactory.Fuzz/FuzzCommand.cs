using SharpFuzz;

namespace AiFactory.Fuzz;

/// <summary>
/// `AiFactory.Fuzz TARGET` runs one target under afl++ (SharpFuzz's fork-server protocol, deploy/fuzz.sh starts it);
/// `AiFactory.Fuzz TARGET --replay FILE|FOLDER` feeds files to it in this process and names the first that throws.
/// </summary>
internal static class FuzzCommand
{
    public static int Run(string[] args)
    {
        if (args.Length is not (1 or 3) || !FuzzTargets.All.TryGetValue(args[0], out var target) || (args.Length == 3 && args[1] != "--replay"))
        {
            Console.Error.WriteLine($"usage: AiFactory.Fuzz TARGET [--replay FILE|FOLDER]; targets: {string.Join(", ", FuzzTargets.All.Keys)}");
            return 2;
        }

        if (args.Length == 1)
        {
            Fuzzer.OutOfProcess.Run(stream => target(Read(stream)));
            return 0;
        }

        var files = Directory.Exists(args[2]) ? Directory.GetFiles(args[2], "*", SearchOption.AllDirectories).Order(StringComparer.Ordinal).ToArray() : [args[2]];
        foreach (var file in files)
        {
            try
            {
                target(File.ReadAllBytes(file));
            }
            catch (Exception ex)
            {
                Console.Error.WriteLine($"{args[0]}: {file} crashes the target: {ex}");
                return 1;
            }
        }

        Console.WriteLine($"{args[0]}: {files.Length} input(s) replayed, none crashed");
        return 0;
    }

    private static byte[] Read(Stream stream)
    {
        using var buffer = new MemoryStream();
        stream.CopyTo(buffer);
        return buffer.ToArray();
    }
}
