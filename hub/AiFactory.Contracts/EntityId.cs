using System.Text.RegularExpressions;

namespace AiFactory.Contracts;

/// <summary>
/// The one grammar of every id edge and hub exchange or configure: companies, plants, lines, stations, edges and
/// models. Ids end up in URLs, SQL keys, metric labels and log lines, so they carry no spaces, capitals, slashes
/// or control characters.
/// </summary>
public static partial class EntityId
{
    /// <summary>The grammar: 1–64 characters of <c>a-z 0-9 . _ -</c>, the first a letter or digit.</summary>
    public const string Grammar = "[a-z0-9][a-z0-9._-]{0,63}";

    /// <summary>True when <paramref name="id"/> follows <see cref="Grammar"/>.</summary>
    public static bool IsValid(string? id) => id is not null && Pattern().IsMatch(id);

    /// <summary>
    /// Null when <paramref name="id"/> is valid; otherwise a message that names the field and the grammar, with the
    /// offending value escaped (it may hold newlines or control characters meant to forge log lines).
    /// </summary>
    /// <param name="field">Where the id was found, e.g. <c>records[3].summary.stationId</c> or <c>edge.id</c>.</param>
    /// <param name="id">The value found there.</param>
    public static string? Problem(string field, string? id) => IsValid(id) ? null : $"{field} {Explain(id)}";

    /// <summary>Why <paramref name="id"/> is not an id ("is missing; …" or "'…' is not a valid id: …"), its value escaped and cut to 80 characters.</summary>
    public static string Explain(string? id) =>
        string.IsNullOrEmpty(id) ? $"is missing; an id is required ({Grammar})."
        : $"'{ControlCharacters.Escape(id.Length > 80 ? id[..80] + "…" : id)}' is not a valid id: use 1-64 lower-case letters, digits, '.', '_' or '-', starting with a letter or digit ({Grammar}).";

    [GeneratedRegex(@"\A" + Grammar + @"\z", RegexOptions.CultureInvariant, matchTimeoutMilliseconds: 1000)]
    private static partial Regex Pattern();
}
