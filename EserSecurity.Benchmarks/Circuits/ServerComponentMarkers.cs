using System.Net;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;

namespace EserSecurity.Benchmarks.Circuits;

/// <summary>
/// The interactive server components of a prerendered page, as Blazor's script finds them: each
/// <c>&lt;!--Blazor:{"type":"server",...,"descriptor":"..."}--&gt;</c> comment opens one (its closing comment carries
/// only the prerender id), and <c>&lt;!--Blazor-Server-Component-State:...--&gt;</c> holds the state persisted while
/// prerendering, which the circuit gets back when it starts.
/// </summary>
internal sealed partial record ServerComponentMarkers(IReadOnlyList<JsonObject> Components, string ApplicationState)
{
    public static ServerComponentMarkers Read(string html)
    {
        var components = new List<JsonObject>();
        foreach (Match match in Marker().Matches(html))
        {
            if (JsonNode.Parse(match.Groups["json"].Value) is JsonObject marker
                && marker["type"]?.GetValue<string>() == "server" && marker["descriptor"] is not null)
            {
                components.Add(marker);
            }
        }
        var state = State().Match(html);
        return new ServerComponentMarkers(
            // The script starts them in the order the server numbered them.
            [.. components.OrderBy(c => c["sequence"]?.GetValue<int>() ?? 0)],
            state.Success ? WebUtility.HtmlDecode(state.Groups["state"].Value) : "");
    }

    /// <summary>
    /// The operations Blazor's script sends in <c>UpdateRootComponents</c> once the circuit has started: each
    /// component added under the number the script gives it (1, 2, … in document order), with its marker as found.
    /// </summary>
    public string AddOperations(int batchId)
    {
        var operations = new JsonArray();
        var ssrComponentId = 1;
        foreach (var component in Components)
        {
            operations.Add(new JsonObject
            {
                ["type"] = "add",
                ["ssrComponentId"] = ssrComponentId++,
                ["marker"] = component.DeepClone(),
            });
        }
        return new JsonObject { ["batchId"] = batchId, ["operations"] = operations }.ToJsonString();
    }

    [GeneratedRegex(@"<!--Blazor:(?<json>\{.*?\})-->", RegexOptions.Singleline)]
    private static partial Regex Marker();

    [GeneratedRegex(@"<!--\s*Blazor-Server-Component-State:(?<state>[A-Za-z0-9+/=]+)\s*-->")]
    private static partial Regex State();
}
