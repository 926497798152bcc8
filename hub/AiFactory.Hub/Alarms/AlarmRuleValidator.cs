using System.Globalization;
using AiFactory.Contracts;
using AiFactory.Hub.Hosting;

namespace AiFactory.Hub.Alarms;

/// <summary>Turns a rule request into a rule, or refuses it with a 400 whose detail names the field and the problem.</summary>
public static class AlarmRuleValidator
{
    /// <summary>How long a breach must last when the request does not say.</summary>
    public const double DefaultForMinutes = 1;

    /// <summary>The longest wait a rule may ask for (a day).</summary>
    public const double MaxForMinutes = 24 * 60;

    public static AlarmRule Validate(string id, string company, AlarmRuleRequest body)
    {
        var plant = Id(body.Plant, "plant");
        var line = Id(body.Line, "line");
        var station = string.IsNullOrEmpty(body.Station) ? null : Id(body.Station, "station");
        if (!AlarmKinds.TryParse(body.Kind, out var kind))
        {
            throw Field("kind", body.Kind is null ? "is missing" : $"'{body.Kind}' is not an alarm kind", $"one of: {AlarmKinds.List}");
        }

        var threshold = Value(kind, body.Threshold, "threshold") ?? throw Field("threshold", "is missing", Domain(kind));
        var clear = Value(kind, body.ClearThreshold, "clearThreshold") ?? threshold;
        if (AlarmKinds.BadBelow(kind) ? clear < threshold : clear > threshold)
        {
            throw Field(
                "clearThreshold",
                $"{N(clear)} is on the alarm's side of the threshold {N(threshold)}",
                $"a {AlarmKinds.Name(kind)} alarm clears at or {(AlarmKinds.BadBelow(kind) ? "above" : "below")} its threshold");
        }

        var forMinutes = body.ForMinutes ?? DefaultForMinutes;
        if (!double.IsFinite(forMinutes) || forMinutes < 0 || forMinutes > MaxForMinutes)
        {
            throw Field("forMinutes", $"{N(forMinutes)} is out of range", $"minutes from 0 to {N(MaxForMinutes)}");
        }

        return new AlarmRule(id, company, plant, line, station, kind, threshold, clear, forMinutes, body.Enabled ?? true);
    }

    private static string Id(string? value, string field) =>
        EntityId.IsValid(value) ? value! : throw HubProblemException.BadRequest($"alarm rule field '{field}' {EntityId.Explain(value)}");

    private static double? Value(AlarmKind kind, double? value, string field)
    {
        if (value is not { } v)
        {
            return null;
        }

        var ok = double.IsFinite(v) && (AlarmKinds.IsFraction(kind) ? v is >= 0 and <= 1 : v >= 0 && (AlarmKinds.IsIndex(kind) || Math.Floor(v) == v));
        return ok ? v : throw Field(field, $"{N(v)} is out of range for a {AlarmKinds.Name(kind)} rule", Domain(kind));
    }

    private static string Domain(AlarmKind kind) =>
        AlarmKinds.IsFraction(kind) ? "a fraction from 0 to 1" : AlarmKinds.IsIndex(kind) ? "a number from 0 (a PSI; 0.25 is the usual alarm level)" : "a whole number from 0";

    private static HubProblemException Field(string field, string problem, string expected) =>
        HubProblemException.BadRequest($"alarm rule field '{field}' {problem}: expected {expected}.");

    private static string N(double v) => v.ToString(CultureInfo.InvariantCulture);
}
