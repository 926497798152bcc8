namespace AiFactory.Hub.Deployments;

/// <summary>What the company's deployment grain answers to a change: the deployment, or the HTTP status and why not.</summary>
[GenerateSerializer]
[Immutable]
public sealed record DeploymentChange(
    [property: Id(0)] Deployment? Deployment,
    [property: Id(1)] int Status,
    [property: Id(2)] string? Problem)
{
    public static DeploymentChange Done(Deployment deployment) => new(deployment, 200, null);

    public static DeploymentChange Refused(int status, string problem) => new(null, status, problem);
}
