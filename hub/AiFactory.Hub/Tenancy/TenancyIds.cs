using System.Text.RegularExpressions;
using AiFactory.Hub.Hosting;

namespace AiFactory.Hub.Tenancy;

/// <summary>Ids of companies, plants, lines, stations and edges: lower-case letters, digits, '.', '_' and '-', 1–64 long.</summary>
public static partial class TenancyIds
{
    public static void Check(string what, string? id)
    {
        if (id is null || !IdPattern().IsMatch(id))
        {
            throw HubProblemException.BadRequest(
                $"{what} id '{id}' is not valid: use 1-64 lower-case letters, digits, '.', '_' or '-', starting with a letter or digit.");
        }
    }

    [GeneratedRegex("^[a-z0-9][a-z0-9._-]{0,63}$")]
    private static partial Regex IdPattern();
}
