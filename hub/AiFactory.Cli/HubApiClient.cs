using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json;

namespace AiFactory.Cli;

/// <summary>The hub's API as the CLI calls it: JSON in, JSON out; a refusal becomes a <see cref="CliException"/> quoting the hub's problem detail.</summary>
public sealed class HubApiClient(HttpClient http, HubConnection connection)
{
    public async Task<JsonElement> SendAsync(HttpMethod method, string path, object? body, CancellationToken ct)
    {
        var text = await SendForTextAsync(method, path, body, ct).ConfigureAwait(false);
        return text.Length == 0 ? default : JsonDocument.Parse(text).RootElement.Clone();
    }

    /// <summary>The answer's body as text (a CSV download, say); a refusal is a <see cref="CliException"/> as for <see cref="SendAsync"/>.</summary>
    public async Task<string> SendForTextAsync(HttpMethod method, string path, object? body, CancellationToken ct)
    {
        using var request = new HttpRequestMessage(method, new Uri(connection.Hub, path.TrimStart('/')));
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", connection.ApiKey);
        if (body is not null)
        {
            request.Content = JsonContent.Create(body, body.GetType(), options: Json);
        }

        HttpResponseMessage response;
        try
        {
            response = await http.SendAsync(request, ct).ConfigureAwait(false);
        }
        catch (HttpRequestException ex)
        {
            throw new CliException(1, $"the hub at {connection.Hub} cannot be reached: {ex.Message}");
        }

        using (response)
        {
            var text = await response.Content.ReadAsStringAsync(ct).ConfigureAwait(false);
            if (!response.IsSuccessStatusCode)
            {
                throw new CliException(1, $"{method} {path}: the hub answered {(int)response.StatusCode}: {Detail(text)}");
            }

            return text;
        }
    }

    public static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web);

    private static string Detail(string body)
    {
        try
        {
            var root = JsonDocument.Parse(body).RootElement;
            return root.TryGetProperty("detail", out var detail) && detail.GetString() is { } d ? d : body;
        }
        catch (JsonException)
        {
            return body.Length > 300 ? body[..300] : body;
        }
    }
}
