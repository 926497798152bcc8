using AiFactory.Contracts;
using AiFactory.Hub.Admin;
using AiFactory.Hub.Alarms;
using AiFactory.Hub.Auth;
using AiFactory.Hub.Cluster;
using AiFactory.Hub.Deployments;
using AiFactory.Hub.Dashboard;
using AiFactory.Hub.Influx;
using AiFactory.Hub.Ingest;
using AiFactory.Hub.Live;
using AiFactory.Hub.Models;
using AiFactory.Hub.Queries;
using AiFactory.Hub.RateLimits;
using AiFactory.Hub.Storage;
using AiFactory.Hub.Tenancy;
using AiFactory.Hub.Tls;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Diagnostics.HealthChecks;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Serilog;

namespace AiFactory.Hub.Hosting;

/// <summary>Builds the hub: services, Serilog, authentication, endpoints and health checks.</summary>
public static class HubApp
{
    /// <param name="args">Command-line configuration overrides (e.g. <c>--Hub:Database:Provider=PostgreSql</c>, <c>--urls=…</c>).</param>
    /// <param name="configure">Extra configuration for tests (in-memory settings, a fake TimeProvider…).</param>
    public static WebApplication Build(string[] args, Action<WebApplicationBuilder>? configure = null)
    {
        var builder = WebApplication.CreateBuilder(new WebApplicationOptions { Args = args, ContentRootPath = AppContext.BaseDirectory, ApplicationName = typeof(HubApp).Assembly.GetName().Name });
        // hub.json in the working folder; environment variables (Hub__…) and the command line (--Hub:…) still win.
        builder.Configuration.AddJsonFile(Path.Combine(Directory.GetCurrentDirectory(), "hub.json"), optional: true);
        builder.Configuration.AddEnvironmentVariables();
        builder.Configuration.AddCommandLine(args);
        configure?.Invoke(builder);
        var logger = new LoggerConfiguration()
            .MinimumLevel.Information()
            .MinimumLevel.Override("Microsoft.AspNetCore", Serilog.Events.LogEventLevel.Warning)
            .MinimumLevel.Override("Orleans", Serilog.Events.LogEventLevel.Warning)
            .MinimumLevel.Override("Polly", Serilog.Events.LogEventLevel.Warning)
            .Enrich.WithProperty("Service", "aifactory-hub")
            .Enrich.With<ControlCharacterEnricher>()
            .ReadFrom.Configuration(builder.Configuration, new Serilog.Settings.Configuration.ConfigurationReaderOptions(
                typeof(ConsoleLoggerConfigurationExtensions).Assembly, typeof(FileLoggerConfigurationExtensions).Assembly))
            .WriteTo.Console(standardErrorFromLevel: Serilog.Events.LogEventLevel.Verbose)
            .CreateLogger();
        builder.Logging.ClearProviders();
        builder.Logging.AddSerilog(logger, dispose: true);

        var services = builder.Services;
        services.AddOptions<HubOptions>().Bind(builder.Configuration.GetSection(HubOptions.Section)).ValidateOnStart();
        services.AddSingleton<IValidateOptions<HubOptions>, HubOptionsValidator>();
        services.TryAddSingleton(TimeProvider.System);
        services.AddSingleton(sp =>
        {
            var o = sp.GetRequiredService<IOptions<HubOptions>>().Value.Database;
            return new HubDatabase(o.Provider, o.ConnectionString);
        });
        services.AddSingleton<HubMetrics>();
        services.AddSingleton<Migrator>();
        services.AddSingleton<TenancyStore>();
        services.AddSingleton<Audit.AuditLog>();
        services.AddSingleton<StationRegistry>();
        services.AddSingleton<SqlBatchAggregator>();
        services.AddSingleton<IBatchAggregator, GrainBatchAggregator>();
        services.AddLiveState();
        services.AddModels();
        services.AddDeployments();
        services.AddAlarms();
        services.AddSingleton<IngestBufferPool>();
        services.AddHostedService<IngestMemoryTrimmer>();
        var bound = builder.Configuration.GetSection(HubOptions.Section).Get<HubOptions>() ?? new HubOptions();
        var rateLimit = bound.RateLimit;
        builder.UseHubTls(bound.Tls);
        services.AddKeyRateLimits(rateLimit);
        var influx = builder.Configuration.GetSection(HubOptions.Section).Get<HubOptions>()?.Influx;
        if (influx is { Enabled: true })
        {
            services.AddSingleton(influx);
            services.AddSingleton(sp => new InfluxWriter(
                new HttpClient { Timeout = TimeSpan.FromSeconds(30) }, influx, sp.GetRequiredService<ILogger<InfluxWriter>>(), sp.GetRequiredService<TimeProvider>()));
            services.AddSingleton<InfluxForwarder>();
            services.AddSingleton<IBatchForwarder>(sp => sp.GetRequiredService<InfluxForwarder>());
            services.AddHostedService(sp => sp.GetRequiredService<InfluxForwarder>());
        }
        else
        {
            services.AddSingleton<IBatchForwarder, NoForwarder>();
        }
        services.AddSingleton<MetricsQuery>();
        services.AddSingleton<FleetQuery>();
        services.AddHostedService<HubStartup>();
        services.AddHostedService<Dashboard.KeyRingStartup>(); // after the migrations, before Data Protection's own start
        Alliance.AllianceServices.AddAlliance(services);
        services.AddProblemDetails();
        services.AddAuthentication(ApiKeyAuthenticationHandler.SchemeName)
            .AddScheme<Microsoft.AspNetCore.Authentication.AuthenticationSchemeOptions, ApiKeyAuthenticationHandler>(ApiKeyAuthenticationHandler.SchemeName, null);
        services.AddAuthorization();
        services.AddHealthChecks().AddCheck<DatabaseHealthCheck>("database", tags: ["ready"]);

        builder.AddDashboard();
        builder.AddHubSilo();
        var app = builder.Build();
        var instance = $"{Environment.MachineName}/{Environment.ProcessId}";
        app.Use((context, next) =>
        {
            // Which replica answered: for operators behind a load balancer, and for the scale-out tests.
            context.Response.Headers["X-AiFactory-Hub"] = instance;
            return next(context);
        });
        app.UseMiddleware<ProblemMiddleware>();
        app.UseStatusCodePages();
        app.UseAuthentication();
        app.UseKeyRateLimits(rateLimit);
        app.UseAuthorization();
        app.MapHealthChecks("/health/live", new HealthCheckOptions { Predicate = _ => false });
        app.MapHealthChecks("/health/ready", new HealthCheckOptions { Predicate = c => c.Tags.Contains("ready") });
        app.MapGet("/", () => Results.Text("AiFactory hub: dashboard under /ui, API under /api/v1 (docs/hub-api.md), health under /health/live and /health/ready.\n"));
        IngestEndpoint.Map(app);
        QueryEndpoints.Map(app);
        LiveEndpoints.Map(app);
        AdminEndpoints.Map(app);
        Alliance.AllianceServices.MapAlliance(app);
        app.MapModels();
        app.MapDeployments();
        app.MapAlarms();
        app.MapDashboard();
        app.MapHubSilo();
        return app;
    }
}
