using System.Runtime.ExceptionServices;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Hosting.Systemd;
using Microsoft.Extensions.Hosting.WindowsServices;
using Microsoft.Extensions.Logging;

namespace AiFactory.Edge.Cli;

/// <summary>
/// Runs <c>run</c> under the service manager that started it: the Windows service control manager (start, stop) or
/// systemd (<c>Type=notify</c>: ready once started, stopping on SIGTERM). From a terminal <c>run</c> does not come
/// here and behaves as it always did.
/// </summary>
internal static class ServiceHost
{
    public const string ServiceName = "aifactory-edge";

    public static bool IsService => WindowsServiceHelpers.IsWindowsService() || SystemdHelpers.IsSystemdService();

    /// <summary>Runs the line until it ends or the service manager stops it; what it returns or throws, as if run directly.</summary>
    public static async Task<int> RunAsync(Func<CancellationToken, Task<int>> line, CancellationToken cancellationToken)
    {
        var builder = Host.CreateApplicationBuilder(new HostApplicationBuilderSettings { ContentRootPath = AppContext.BaseDirectory });
        builder.Logging.ClearProviders();
        builder.Services.AddWindowsService(o => o.ServiceName = ServiceName);
        builder.Services.AddSystemd();
        var agent = new AgentService(line);
        builder.Services.AddSingleton<IHostedService>(sp => agent.For(sp.GetRequiredService<IHostApplicationLifetime>()));
        using var host = builder.Build();
        await host.RunAsync(cancellationToken).ConfigureAwait(false);
        return agent.Result();
    }

    /// <summary>The line as the host's one background service; when the line ends, the host stops too.</summary>
    private sealed class AgentService(Func<CancellationToken, Task<int>> line) : BackgroundService
    {
        private IHostApplicationLifetime? _lifetime;
        private ExceptionDispatchInfo? _error;
        private int _exitCode;

        public AgentService For(IHostApplicationLifetime lifetime)
        {
            _lifetime = lifetime;
            return this;
        }

        public int Result()
        {
            _error?.Throw();
            return _exitCode;
        }

        protected override async Task ExecuteAsync(CancellationToken stoppingToken)
        {
            try
            {
                _exitCode = await line(stoppingToken).ConfigureAwait(false);
            }
            catch (Exception ex)
            {
                // Handed back to the command, which words it exactly as for a run from a terminal.
                _error = ExceptionDispatchInfo.Capture(ex);
            }
            finally
            {
                _lifetime?.StopApplication();
            }
        }
    }
}
