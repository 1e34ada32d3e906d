using Delivery.Deploy.Tests.Helm;

namespace Delivery.Deploy.Tests.Chart;

public sealed class NotesTests
{
    [Fact]
    public async Task Notes_Example_ListEachDestinationWithGroupAndDlqAndTheGracePeriod()
    {
        var notes = await RenderNotesAsync([RepositoryPaths.TwoDestinationsExample]);

        Assert.Contains("orders-to-nakadi: Nakadi from orders (group delivery.orders-to-nakadi, DLQ orders-to-nakadi.dlq)", notes, StringComparison.Ordinal);
        Assert.Contains("orders-to-partner: Webhook from orders (group delivery.orders-to-partner, DLQ orders-to-partner.dlq)", notes, StringComparison.Ordinal);
        Assert.Contains("terminationGracePeriodSeconds is 40", notes, StringComparison.Ordinal);
        Assert.Contains("KEDA on consumer lag", notes, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Notes_Defaults_WarnThatNoDestinationIsConfigured()
    {
        var notes = await RenderNotesAsync([]);

        Assert.Contains("WARNING: delivery.Destinations is empty", notes, StringComparison.Ordinal);
    }

    /// <summary>
    /// helm template does not render NOTES.txt (install does, and needs a cluster), so render it as a template of a
    /// chart copy.
    /// </summary>
    private static async Task<string> RenderNotesAsync(IReadOnlyList<string> valuesFiles)
    {
        using var copy = new ChartCopy();
        var notes = await File.ReadAllTextAsync(Path.Combine(copy.Chart, "templates", "NOTES.txt"));
        await File.WriteAllTextAsync(
            Path.Combine(copy.Chart, "templates", "notes-as-configmap.yaml"),
            "{{- define \"test.notes\" }}" + notes + "{{- end }}\n" +
            "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: notes\ndata:\n  notes: {{ include \"test.notes\" . | quote }}\n");

        var result = await HelmCli.TemplateAsync(valuesFiles, chart: copy.Chart);

        Assert.True(result.Succeeded, result.Describe());
        var rendered = new RenderedChart(result);
        return (string)Assert.Single(rendered.OfKind("ConfigMap"), c => (string?)c["metadata"]!["name"] == "notes")["data"]!["notes"]!;
    }
}
