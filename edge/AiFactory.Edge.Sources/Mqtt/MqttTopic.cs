namespace AiFactory.Edge.Sources.Mqtt;

/// <summary>MQTT topic-filter matching: '+' matches one level, a trailing '#' the rest (including none).</summary>
public static class MqttTopic
{
    public static bool Matches(string filter, string topic)
    {
        var f = filter.Split('/');
        var t = topic.Split('/');
        for (var i = 0; i < f.Length; i++)
        {
            if (f[i] == "#")
            {
                return i == f.Length - 1;
            }

            if (i >= t.Length || (f[i] != "+" && f[i] != t[i]))
            {
                return false;
            }
        }

        return f.Length == t.Length;
    }
}
