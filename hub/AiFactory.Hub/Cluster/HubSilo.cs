using System.Net;
using System.Net.Sockets;
using System.Text.Json;
using AiFactory.Contracts;
using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;
using Orleans.Serialization;

namespace AiFactory.Hub.Cluster;

/// <summary>
/// Makes the hub an Orleans silo as well as a web application: one process, two roles. The single-node default is
/// localhost clustering on a free loopback port without a gateway; clustering for several silos is configured here and
/// nowhere else, so grains never know how many silos there are.
/// </summary>
public static class HubSilo
{
    public static WebApplicationBuilder AddHubSilo(this WebApplicationBuilder builder)
    {
        var options = builder.Configuration.GetSection(SiloOptions.Section).Get<SiloOptions>() ?? new SiloOptions();
        var database = builder.Configuration.GetSection(HubOptions.Section).Get<HubOptions>()?.Database ?? new DatabaseSettings();
        var problems = options.Problems(database);
        if (problems.Count > 0)
        {
            throw new OptionsValidationException(SiloOptions.Section, typeof(SiloOptions), problems);
        }

        var siloPort = options.SiloPort == 0 ? FreeLoopbackPort() : options.SiloPort;
        builder.Services.AddSingleton(Options.Create(options));
        builder.UseOrleans(silo =>
        {
            silo.UseHubClustering(options, siloPort, database);
            if (options.Dashboard)
            {
                silo.AddHubDashboard();
            }

            silo.Services.AddContractsSerializer();
        });
        return builder;
    }

    /// <summary>Maps what the silo serves over HTTP: the Orleans Dashboard, to hub-admin keys only, when enabled.</summary>
    public static void MapHubSilo(this WebApplication app)
    {
        var options = app.Services.GetRequiredService<IOptions<SiloOptions>>().Value;
        if (options.Dashboard)
        {
            app.MapHubDashboard(options.DashboardPath);
        }
    }

    /// <summary>
    /// The wire types shared with the edge (<see cref="UplinkBatch"/> …) carry no Orleans attributes: between silos,
    /// and to clients, they travel as their own JSON.
    /// </summary>
    public static IServiceCollection AddContractsSerializer(this IServiceCollection services) =>
        services.AddSerializer(s => s.AddJsonSerializer(
            t => t.Assembly == typeof(UplinkBatch).Assembly,
            new JsonSerializerOptions { TypeInfoResolver = AiFactoryJsonContext.Default, PropertyNamingPolicy = JsonNamingPolicy.CamelCase }));

    /// <summary>A loopback port free right now (the OS's choice); the silo binds it moments later.</summary>
    private static int FreeLoopbackPort()
    {
        using var probe = new TcpListener(IPAddress.Loopback, 0);
        probe.Start();
        return ((IPEndPoint)probe.LocalEndpoint).Port;
    }
}
