using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace AiFactory.Hub.Deployments;

/// <summary>Registers deployments: options (validated at start), the stores and the planner; the grain comes with the silo.</summary>
public static class DeploymentServices
{
    public static IServiceCollection AddDeployments(this IServiceCollection services)
    {
        services.AddOptions<DeploymentOptions>().BindConfiguration(DeploymentOptions.Section).ValidateOnStart();
        services.AddSingleton<IValidateOptions<DeploymentOptions>, DeploymentOptionsValidator>();
        services.AddSingleton<DeploymentStore>();
        services.AddSingleton<DeploymentPlanner>();
        services.AddSingleton<StationDriftStore>();
        return services;
    }
}
