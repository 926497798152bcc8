namespace AiFactory.Hub.Hosting;

/// <summary>A request the hub refuses, with the HTTP status and a detail that names the thing and the problem.</summary>
public sealed class HubProblemException(int status, string title, string detail) : Exception(detail)
{
    public int Status { get; } = status;

    public string Title { get; } = title;

    public static HubProblemException BadRequest(string detail) => new(400, "Invalid request", detail);

    public static HubProblemException Forbidden(string detail) => new(403, "Forbidden", detail);

    public static HubProblemException NotFound(string detail) => new(404, "Not found", detail);

    public static HubProblemException Conflict(string detail) => new(409, "Conflict", detail);

    public static HubProblemException TooLarge(string detail) => new(413, "Request body too large", detail);
}
