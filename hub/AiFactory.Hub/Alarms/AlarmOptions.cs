namespace AiFactory.Hub.Alarms;

/// <summary>How alarms are evaluated and delivered (configuration section <c>Hub:Alarms</c>).</summary>
public sealed class AlarmOptions
{
    public const string Section = "Hub:Alarms";

    /// <summary>Each enabled rule's grain reads its value this often.</summary>
    public TimeSpan EvaluateInterval { get; set; } = TimeSpan.FromSeconds(1);

    /// <summary>Every raise, clear and acknowledgement is POSTed here as JSON; null: no webhook.</summary>
    public Uri? WebhookUrl { get; set; }

    /// <summary>The MQTT broker alarms are published to (host name or address); null: no MQTT.</summary>
    public string? MqttHost { get; set; }

    public int MqttPort { get; set; } = 1883;

    /// <summary>Topic prefix; an alarm goes to <c>{prefix}/{company}/{plant}/{line}[/{station}]</c>, QoS 1.</summary>
    public string MqttTopic { get; set; } = "aifactory/alarms";

    /// <summary>Tries per notice and target before it is given up (counted, logged and kept as failed; the alarm itself stays in SQL).</summary>
    public int DeliveryAttempts { get; set; } = 10;

    /// <summary>The wait after a notice's first failed try; it doubles after each further one, up to <see cref="MaxRetryDelay"/>.</summary>
    public TimeSpan RetryDelay { get; set; } = TimeSpan.FromSeconds(1);

    /// <summary>The longest wait between two tries of one notice.</summary>
    public TimeSpan MaxRetryDelay { get; set; } = TimeSpan.FromMinutes(5);

    /// <summary>How often each silo looks for notices written by other silos (its own are sent at once).</summary>
    public TimeSpan PollInterval { get; set; } = TimeSpan.FromSeconds(1);

    /// <summary>Delivered and given-up notices are forgotten after this long (the alarms themselves stay).</summary>
    public TimeSpan KeepNotices { get; set; } = TimeSpan.FromDays(7);

    /// <summary>Time allowed to one webhook call or MQTT publish.</summary>
    public TimeSpan DeliveryTimeout { get; set; } = TimeSpan.FromSeconds(5);
}
