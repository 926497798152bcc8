using System.Diagnostics;
using System.Globalization;
using System.Text;

namespace AiFactory.Testing;

/// <summary>
/// nginx in the foreground on a free 127.0.0.1 port, round-robin over the given upstream ports, with its config, pid,
/// logs and temp files in its own folder. Ingest is idempotent, so POSTs may go to the next replica on an error.
/// </summary>
public sealed class NginxProxy : IAsyncDisposable
{
    private static readonly string Binary = Environment.GetEnvironmentVariable("AIFACTORY_TEST_NGINX_BIN") is { Length: > 0 } bin ? bin : "/usr/sbin/nginx";
    private readonly Process _process;
    private readonly string _dir;

    private NginxProxy(Process process, string dir, int port)
    {
        _process = process;
        _dir = dir;
        Port = port;
    }

    public static string? Missing => File.Exists(Binary) ? null : $"{Binary} is missing: run the suite with `bash deploy/test.sh`, which installs nginx";

    public int Port { get; }

    public Uri Address => new($"http://127.0.0.1:{Port}");

    /// <summary>The nginx master process (its worker is its child).</summary>
    public int ProcessId => _process.Id;

    public static async Task<NginxProxy> StartAsync(IReadOnlyList<int> upstreamPorts)
    {
        var dir = Directory.CreateTempSubdirectory("aifactory-nginx-").FullName;
        var port = FreePort.Next();
        var conf = new StringBuilder();
        if (Environment.UserName == "root")
        {
            conf.AppendLine("user root root;");
        }

        conf.AppendLine(CultureInfo.InvariantCulture, $$"""
            worker_processes 1;
            pid {{dir}}/nginx.pid;
            error_log {{dir}}/error.log warn;
            events { worker_connections 1024; }
            http {
              access_log off;
              client_body_temp_path {{dir}}/body;
              proxy_temp_path {{dir}}/proxy;
              fastcgi_temp_path {{dir}}/fastcgi;
              uwsgi_temp_path {{dir}}/uwsgi;
              scgi_temp_path {{dir}}/scgi;
              client_max_body_size 64m;
              upstream hub {
            {{string.Concat(upstreamPorts.Select(p => $"    server 127.0.0.1:{p} max_fails=1 fail_timeout=2s;\n"))}}    keepalive 32;
              }
              server {
                listen 127.0.0.1:{{port}};
                location / {
                  proxy_pass http://hub;
                  proxy_http_version 1.1;
                  proxy_set_header Connection "";
                  proxy_set_header Host $host;
                  proxy_next_upstream error timeout http_502 http_503 non_idempotent;
                  proxy_next_upstream_tries 2;
                  proxy_connect_timeout 2s;
                  proxy_read_timeout 60s;
                }
              }
            }
            """);
        var file = Path.Combine(dir, "nginx.conf");
        await File.WriteAllTextAsync(file, conf.ToString());
        var process = Process.Start(new ProcessStartInfo(Binary, ["-p", dir, "-c", file, "-g", "daemon off;"])
        {
            RedirectStandardError = true,
            RedirectStandardOutput = true,
        })!;
        try
        {
            await FreePort.WaitListeningAsync(port, TimeSpan.FromSeconds(20));
        }
        catch (System.Net.Sockets.SocketException)
        {
            process.Kill(true);
            throw new InvalidOperationException($"nginx did not listen on {port}: {await process.StandardError.ReadToEndAsync()} {ReadLog(dir)}");
        }

        return new NginxProxy(process, dir, port);
    }

    public async ValueTask DisposeAsync()
    {
        if (!_process.HasExited)
        {
            _process.Kill(entireProcessTree: true);
            await _process.WaitForExitAsync();
        }

        _process.Dispose();
        try
        {
            Directory.Delete(_dir, recursive: true);
        }
        catch (IOException)
        {
        }
    }

    private static string ReadLog(string dir)
    {
        var log = Path.Combine(dir, "error.log");
        return File.Exists(log) ? File.ReadAllText(log) : string.Empty;
    }
}
