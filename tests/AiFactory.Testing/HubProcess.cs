using System.Diagnostics;
namespace AiFactory.Testing;

/// <summary>
/// The hub as its own process (the aifactory-hub.dll built next to the tests or benchmarks), on a 127.0.0.1 port of <see cref="FreePort"/> (this test process's alone), so a test
/// can kill -9 it and start it again on the same port and database.
/// </summary>
public sealed class HubProcess : IAsyncDisposable
{
    private readonly string[] _args;
    private readonly List<string> _output = [];
    private Process? _process;

    private HubProcess(int port, string[] args)
    {
        Port = port;
        _args = args;
    }

    public int Port { get; }

    /// <summary>How long a start may take: 60 s, or <c>AIFACTORY_HUB_START_SECONDS</c> on a machine loaded by others.</summary>
    public static TimeSpan StartPatience { get; } =
        TimeSpan.FromSeconds(int.TryParse(Environment.GetEnvironmentVariable("AIFACTORY_HUB_START_SECONDS"), out var s) && s > 0 ? s : 60);

    public Uri Address => new($"http://127.0.0.1:{Port}");

    public string Output
    {
        get
        {
            lock (_output)
            {
                return string.Join('\n', _output);
            }
        }
    }

    /// <summary>The value of the command-line argument starting with <paramref name="prefix"/> (e.g. "--Hub:Silo:SiloPort="), or null.</summary>
    public string? Argument(string prefix) => _args.FirstOrDefault(a => a.StartsWith(prefix, StringComparison.Ordinal))?[prefix.Length..];

    /// <summary>The process id while it runs.</summary>
    public int? ProcessId => _process is { HasExited: false } p ? p.Id : null;

    public static Task<HubProcess> StartAsync(string provider, string connection, string adminKey, params string[] extra) =>
        StartAsync(Path.Combine(AppContext.BaseDirectory, "aifactory-hub.dll"), provider, connection, adminKey, extra);

    /// <summary>Another build of the hub (<paramref name="hubDll"/>), e.g. the previous release for a before/after benchmark.</summary>
    public static async Task<HubProcess> StartAsync(string hubDll, string provider, string connection, string adminKey, string[] extra)
    {
        var port = FreePort.Next();
        const string siloPort = "--Hub:Silo:SiloPort=";

        // The silo's own port too: left at 0, the hub would take one the OS calls free, which races the same way.
        string[] silo = extra.Any(a => a.StartsWith(siloPort, StringComparison.Ordinal)) ? [] : [$"{siloPort}{FreePort.Next()}"];
        var hub = new HubProcess(port,
        [
            hubDll,
            $"--urls=http://127.0.0.1:{port}",
            $"--Hub:Database:Provider={provider}",
            $"--Hub:Database:ConnectionString={connection}",
            $"--Hub:BootstrapAdminKey={adminKey}",
            .. silo,
            .. extra,
        ]);
        await hub.StartAgainAsync();
        return hub;
    }

    /// <summary>Starts the process (again) and waits until /health/ready answers 200.</summary>
    public async Task StartAgainAsync()
    {
        var info = new ProcessStartInfo("dotnet") { RedirectStandardOutput = true, RedirectStandardError = true, WorkingDirectory = AppContext.BaseDirectory };
        foreach (var a in _args)
        {
            info.ArgumentList.Add(a);
        }

        _process = Process.Start(info)!;
        _process.OutputDataReceived += (_, e) => Keep(e.Data);
        _process.ErrorDataReceived += (_, e) => Keep(e.Data);
        _process.BeginOutputReadLine();
        _process.BeginErrorReadLine();
        using var http = new HttpClient { Timeout = TimeSpan.FromSeconds(5) };
        var until = DateTime.UtcNow + StartPatience;
        while (DateTime.UtcNow < until)
        {
            if (_process.HasExited)
            {
                throw new InvalidOperationException($"the hub exited with {_process.ExitCode}:\n{Output}");
            }

            try
            {
                if ((await http.GetAsync(new Uri(Address, "/health/ready"))).IsSuccessStatusCode)
                {
                    return;
                }
            }
            catch (HttpRequestException)
            {
            }
            catch (TaskCanceledException)
            {
            }

            await Task.Delay(100);
        }

        var output = Output;
        await KillAsync(); // not left running behind the failure
        throw new TimeoutException($"the hub on {Port} was not ready within {StartPatience.TotalSeconds} s:\n{output}");
    }

    /// <summary>SIGKILL: no shutdown, no flush, no goodbye.</summary>
    public async Task KillAsync()
    {
        if (_process is { HasExited: false })
        {
            _process.Kill(entireProcessTree: true);
            await _process.WaitForExitAsync();
        }
    }

    public async ValueTask DisposeAsync()
    {
        await KillAsync();
        _process?.Dispose();
    }

    private void Keep(string? line)
    {
        if (line is null)
        {
            return;
        }

        lock (_output)
        {
            _output.Add(line);
            if (_output.Count > 400)
            {
                _output.RemoveAt(0);
            }
        }
    }
}
