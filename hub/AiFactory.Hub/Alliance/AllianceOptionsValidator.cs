using Microsoft.Extensions.Options;

namespace AiFactory.Hub.Alliance;

/// <summary>Stops the hub at start with a message naming the <c>Hub:Alliance</c> key that is wrong.</summary>
public sealed class AllianceOptionsValidator : IValidateOptions<AllianceOptions>
{
    public ValidateOptionsResult Validate(string? name, AllianceOptions options) =>
        options.Problem() is { } problem ? ValidateOptionsResult.Fail(problem) : ValidateOptionsResult.Success;
}
