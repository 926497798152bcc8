namespace AiFactory.Testing;

/// <summary>A fresh folder under the system's temp folder, deleted with what it holds at dispose (what a process still holds stays for the system to clean).</summary>
public sealed class TempDirectory(string prefix) : IDisposable
{
    public string Path { get; } = Directory.CreateTempSubdirectory(prefix).FullName;

    public string File(string name) => System.IO.Path.Combine(Path, name);

    public void Dispose()
    {
        try
        {
            Directory.Delete(Path, recursive: true);
        }
        catch (IOException)
        {
        }
    }
}
