using Microsoft.Extensions.Options;

namespace AiFactory.Hub.Deployments;

/// <summary>Stops the hub at start when <c>Hub:Deployments</c> is invalid, naming each key.</summary>
public sealed class DeploymentOptionsValidator : IValidateOptions<DeploymentOptions>
{
    public ValidateOptionsResult Validate(string? name, DeploymentOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        var problems = options.Problems();
        return problems.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(problems);
    }
}
