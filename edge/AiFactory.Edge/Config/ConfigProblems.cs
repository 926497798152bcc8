using YamlDotNet.Core;
using YamlDotNet.RepresentationModel;

namespace AiFactory.Edge.Config;

/// <summary>Every problem found in a configuration file, each as "file:line:column: key: problem (hint)".</summary>
public sealed class ConfigProblems(string file)
{
    private readonly List<string> _problems = [];

    public string File => file;

    public IReadOnlyList<string> All => _problems;

    public bool Any => _problems.Count > 0;

    public void Add(YamlNode? node, string key, string problem, string? hint = null) => Add(node?.Start ?? Mark.Empty, key, problem, hint);

    public void Add(Mark at, string key, string problem, string? hint = null)
    {
        var where = at.Line > 0 ? $"{file}:{at.Line}:{at.Column}" : file;
        _problems.Add($"{where}: {key}: {problem}{(hint is null ? string.Empty : $" (hint: {hint})")}");
    }
}
