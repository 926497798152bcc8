using System.Diagnostics;

namespace AiFactory.Testing;

/// <summary>
/// A small tmpfs file system of a test's or the drill's own (mount needs root), filled to the last byte and freed
/// again: the full disk under an edge's outbox. Unmounted on dispose.
/// </summary>
public sealed class TmpfsMount : IDisposable
{
    private readonly string _filler;

    private TmpfsMount(string path)
    {
        Path = path;
        _filler = System.IO.Path.Combine(path, "filler");
    }

    public string Path { get; }

    /// <summary>Mounts a tmpfs of <paramref name="megabytes"/> MB at <paramref name="path"/>; null, with why, when it cannot.</summary>
    public static TmpfsMount? TryMount(string path, int megabytes, out string? why)
    {
        Directory.CreateDirectory(path);
        var (code, output) = Run("mount", "-t", "tmpfs", "-o", $"size={megabytes}m,mode=0700", "tmpfs", path);
        why = code == 0 ? null : $"no file system of its own for the outbox: `mount -t tmpfs` answered {code}: {output} (needs root)";
        return code == 0 ? new TmpfsMount(path) : null;
    }

    /// <summary>Writes until the file system has no byte left but <paramref name="leaveBytes"/> (whole pages); answers how many bytes it holds.</summary>
    public long Fill(long leaveBytes = 0)
    {
        // tmpfs hands out whole pages: writing a page at a time until ENOSPC leaves not one page free.
        var page = new byte[4096];
        using var file = new FileStream(_filler, FileMode.Append, FileAccess.Write, FileShare.None, 1);
        try
        {
            while (true)
            {
                file.Write(page);
            }
        }
        catch (IOException)
        {
        }

        if (leaveBytes > 0)
        {
            file.SetLength(Math.Max(0, file.Length - leaveBytes));
        }

        return file.Length;
    }

    public void Free() => File.Delete(_filler);

    public void Dispose() => Run("umount", "-l", Path);

    private static (int Code, string Output) Run(string file, params string[] args)
    {
        try
        {
            using var p = Process.Start(new ProcessStartInfo(file, args) { RedirectStandardOutput = true, RedirectStandardError = true })!;
            var output = p.StandardError.ReadToEnd() + p.StandardOutput.ReadToEnd();
            p.WaitForExit();
            return (p.ExitCode, output.Trim());
        }
        catch (System.ComponentModel.Win32Exception e)
        {
            return (-1, e.Message);
        }
    }
}
