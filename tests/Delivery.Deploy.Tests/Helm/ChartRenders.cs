using System.Collections.Concurrent;

namespace Delivery.Deploy.Tests.Helm;

/// <summary>
/// Renders the chart once per distinct set of inputs and shares the result between tests (helm template takes
/// ~100 ms; the suite renders a handful of variants).
/// </summary>
internal static class ChartRenders
{
    private static readonly ConcurrentDictionary<string, Lazy<Task<HelmResult>>> Cache = new(StringComparer.Ordinal);

    public static Task<RenderedChart> DefaultsAsync() => RenderAsync([], []);

    public static Task<RenderedChart> TwoDestinationsAsync() => RenderAsync([RepositoryPaths.TwoDestinationsExample], []);

    public static async Task<RenderedChart> RenderAsync(IReadOnlyList<string> valuesFiles, IReadOnlyList<string> sets) =>
        new(await TemplateAsync(valuesFiles, sets));

    /// <summary>The raw helm result (for renders that are expected to fail).</summary>
    public static Task<HelmResult> TemplateAsync(IReadOnlyList<string> valuesFiles, IReadOnlyList<string> sets)
    {
        var key = string.Join('\u0001', valuesFiles) + '\u0002' + string.Join('\u0001', sets);
        return Cache.GetOrAdd(key, _ => new Lazy<Task<HelmResult>>(() => HelmCli.TemplateAsync(valuesFiles, sets))).Value;
    }
}
