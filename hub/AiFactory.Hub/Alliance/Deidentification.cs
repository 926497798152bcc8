using AiFactory.Hub.Hosting;

namespace AiFactory.Hub.Alliance;

/// <summary>
/// How an offer disguises its raw data: every tag is renamed (to its entry in <paramref name="TagNames"/>, or to
/// <c>tag1</c>, <c>tag2</c>… in the chunk's order), values are shifted per original tag (<paramref name="Offsets"/>),
/// then rounded to a multiple of <paramref name="Quantum"/>, and every time moves by <paramref name="TimeShiftSeconds"/>.
/// Original tag names, the station and the real times never leave the hub.
/// </summary>
public sealed partial record Deidentification(
    IReadOnlyDictionary<string, string>? TagNames = null, IReadOnlyDictionary<string, double>? Offsets = null, double? Quantum = null, long TimeShiftSeconds = 0)
{
    /// <summary>Null when usable; otherwise the problem, naming the field.</summary>
    public string? Problem()
    {
        foreach (var (tag, alias) in TagNames ?? new Dictionary<string, string>())
        {
            if (alias is null || !TagNamePattern().IsMatch(alias))
            {
                return $"deidentification.tagNames['{Contracts.ControlCharacters.Escape(tag)}'] '{Contracts.ControlCharacters.Escape(alias ?? string.Empty)}' is not a tag name: " +
                    "use 1-64 letters, digits, spaces, '.', '_' or '-', starting with a letter or digit.";
            }
        }

        if ((TagNames?.Values.Distinct(StringComparer.Ordinal).Count() ?? 0) != (TagNames?.Count ?? 0))
        {
            return "deidentification.tagNames gives two tags the same name.";
        }

        if (Offsets?.FirstOrDefault(o => !double.IsFinite(o.Value)) is { Key: not null } bad)
        {
            return $"deidentification.offsets['{Contracts.ControlCharacters.Escape(bad.Key)}'] is not a finite number.";
        }

        return Quantum is { } q && !(q > 0 && double.IsFinite(q)) ? $"deidentification.quantum {q} must be a positive number."
            : Math.Abs(TimeShiftSeconds) > 100L * 365 * 86_400 ? $"deidentification.timeShiftSeconds {TimeShiftSeconds} is more than 100 years."
            : null;
    }

    public static void Check(Deidentification d)
    {
        if (d.Problem() is { } problem)
        {
            throw HubProblemException.BadRequest(problem);
        }
    }

    public string TagName(string tag, int index) => TagNames is not null && TagNames.TryGetValue(tag, out var alias) ? alias : $"tag{index + 1}";

    public double? Value(string tag, double? value)
    {
        if (value is not { } v)
        {
            return null;
        }

        v += Offsets is not null && Offsets.TryGetValue(tag, out var offset) ? offset : 0;
        return Quantum is { } q ? Math.Round(v / q, MidpointRounding.AwayFromZero) * q : v;
    }

    public DateTimeOffset Time(DateTimeOffset t) => t.AddSeconds(TimeShiftSeconds);

    /// <summary>What a renamed tag may be: it becomes a column of the training set (no ';', quotes or line breaks).</summary>
    [System.Text.RegularExpressions.GeneratedRegex(@"\A[A-Za-z0-9][A-Za-z0-9 ._-]{0,63}\z", System.Text.RegularExpressions.RegexOptions.CultureInvariant, matchTimeoutMilliseconds: 1000)]
    private static partial System.Text.RegularExpressions.Regex TagNamePattern();
}
