using InfluxDB.Client.Api.Domain;

namespace AiFactory.Hub.Influx;

/// <summary>Where time series also go (section <c>Hub:Influx</c>); absent Url = off.</summary>
public sealed class InfluxOptions
{
    /// <summary>Base URL, e.g. http://127.0.0.1:8086; null or empty turns the writer off.</summary>
    public string? Url { get; set; }

    /// <summary>
    /// 1: InfluxDB 1.x's <c>/write</c> (database + retention policy), needed before 1.8 (Debian's 1.6). 2: InfluxDB.Client's
    /// write API (<c>/api/v2/write</c>, org + bucket), for InfluxDB 1.8+, 2.x and 3.x.
    /// </summary>
    public int Version { get; set; } = 1;

    public string? Database { get; set; }

    public string? RetentionPolicy { get; set; }

    public string? Org { get; set; }

    public string? Bucket { get; set; }

    /// <summary>v2 API token (InfluxDB 1.8: "user:password"), or v1 "user:password"; from the environment (Hub__Influx__Token), never a file in git.</summary>
    public string? Token { get; set; }

    /// <summary>Instead of a token: v1 basic authentication, v2 a session signed in with this user.</summary>
    public string? Username { get; set; }

    /// <summary>The user's password; from the environment (Hub__Influx__Password).</summary>
    public string? Password { get; set; }

    /// <summary>Unit of the timestamps written (v1 <c>precision=n|u|ms|s</c>, v2 <c>ns|us|ms|s</c>).</summary>
    public InfluxPrecision Precision { get; set; } = InfluxPrecision.Milliseconds;

    /// <summary>Points per HTTP write.</summary>
    public int BatchSize { get; set; } = 5000;

    /// <summary>Points waiting in memory before new ones are dropped (counted and logged).</summary>
    public int QueueCapacity { get; set; } = 200_000;

    /// <summary>Tries per batch before it is given up (counted and logged).</summary>
    public int MaxAttempts { get; set; } = 8;

    /// <summary>v1: create the database if the server says it does not exist.</summary>
    public bool CreateDatabase { get; set; } = true;

    public bool Enabled => !string.IsNullOrWhiteSpace(Url);

    /// <summary><see cref="Precision"/> as InfluxDB.Client names it.</summary>
    public WritePrecision WritePrecision => Precision switch
    {
        InfluxPrecision.Nanoseconds => WritePrecision.Ns,
        InfluxPrecision.Microseconds => WritePrecision.Us,
        InfluxPrecision.Seconds => WritePrecision.S,
        _ => WritePrecision.Ms,
    };

    /// <summary>Every problem, naming its key; empty when valid.</summary>
    public IEnumerable<string> Problems()
    {
        if (!Enabled)
        {
            yield break;
        }

        if (!Uri.TryCreate(Url, UriKind.Absolute, out var uri) || (uri.Scheme != "http" && uri.Scheme != "https"))
        {
            yield return $"Hub:Influx:Url '{Url}' is not an http(s) URL.";
        }

        if (Version == 1 && string.IsNullOrWhiteSpace(Database))
        {
            yield return "Hub:Influx:Database is required for Version 1.";
        }
        else if (Version == 2 && (string.IsNullOrWhiteSpace(Org) || string.IsNullOrWhiteSpace(Bucket)))
        {
            yield return "Hub:Influx:Org and Bucket are required for Version 2 (InfluxDB 1.8: Org '-', Bucket 'database/retention-policy').";
        }
        else if (Version == 2 && string.IsNullOrWhiteSpace(Token) && (string.IsNullOrWhiteSpace(Username) || string.IsNullOrEmpty(Password)))
        {
            yield return "Hub:Influx:Token, or Username and Password, are required for Version 2.";
        }
        else if (Version is not (1 or 2))
        {
            yield return $"Hub:Influx:Version {Version} is not 1 or 2.";
        }

        if (!string.IsNullOrWhiteSpace(Username) && Password is null)
        {
            yield return "Hub:Influx:Password is required with Hub:Influx:Username.";
        }

        if (!Enum.IsDefined(Precision))
        {
            yield return $"Hub:Influx:Precision {Precision} is not Nanoseconds, Microseconds, Milliseconds or Seconds.";
        }

        if (BatchSize is < 1 or > 100_000)
        {
            yield return $"Hub:Influx:BatchSize {BatchSize} is outside 1..100000.";
        }

        if (QueueCapacity < BatchSize)
        {
            yield return $"Hub:Influx:QueueCapacity {QueueCapacity} is below BatchSize {BatchSize}.";
        }

        if (MaxAttempts is < 1 or > 100)
        {
            yield return $"Hub:Influx:MaxAttempts {MaxAttempts} is outside 1..100.";
        }
    }
}
