using System.Globalization;
using Delivery.Worker.Hosting;
using Delivery.Worker.Telemetry;
using Delivery.Worker.Tests.Hosting;
using Microsoft.Extensions.DependencyInjection;

namespace Delivery.Worker.Tests.Metrics;

/// <summary>Records one measurement on every DeliveryMetrics instrument and scrapes the Prometheus text.</summary>
internal static class MetricsScrape
{
    public static void RecordOneOfEach(DeliveryMetrics metrics, string destination)
    {
        metrics.RegisterDestination(destination, () => new DestinationGauges(7, 42, CircuitOpen: true, ConcurrencyLimit: 3));
        metrics.Consumed(destination, "orders", 3);
        metrics.Sent(destination, $"{destination}.retry.1", 1);
        metrics.ProcessDuration(destination, TimeSpan.FromMilliseconds(12));
        metrics.Events(destination, "delivered", null, 2);
        metrics.Events(destination, "retried", "RETRYABLE_ERROR", 1, tier: 1);
        metrics.Events(destination, "dead_lettered", "BAD_REQUEST", 1, reason: "NonRetryable");
        metrics.Batch(destination, "resolved", 4);
        metrics.HandlerDuration(destination, TimeSpan.FromMilliseconds(3));
        metrics.EventResolved(destination, TimeSpan.FromSeconds(2), 2);
        metrics.ContractViolations(destination, 1);
        metrics.CommitFailed(destination);
        metrics.Requeued(destination, 1);
    }

    /// <summary>A real worker host (no destinations): its /metrics text after one measurement of each instrument.</summary>
    public static async Task<string> RecordAndScrapeAsync(string destination)
    {
        await using var worker = await RunningWorker.StartAsync(new WorkerHostSettings
        {
            UseEnvironmentVariables = false,
            Overrides = RunningWorker.BaseConfiguration(),
            LogOutput = TextWriter.Null,
        });
        RecordOneOfEach(worker.Services.GetRequiredService<DeliveryMetrics>(), destination);
        return await worker.Client.GetStringAsync(new Uri("/metrics", UriKind.Relative));
    }

    /// <summary>Sample names (before labels) of the exposition text.</summary>
    public static HashSet<string> SampleNames(string text) => [.. Samples(text).Select(static s => s.Name)];

    /// <summary>The samples of the exposition text: name, labels, value (the optional timestamp dropped).</summary>
    public static IEnumerable<Sample> Samples(string text)
    {
        foreach (var line in text.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
        {
            if (line.StartsWith('#'))
            {
                continue;
            }

            var labels = new Dictionary<string, string>(StringComparer.Ordinal);
            var brace = line.IndexOf('{', StringComparison.Ordinal);
            var nameEnd = brace >= 0 ? brace : line.IndexOf(' ', StringComparison.Ordinal);
            var rest = line[nameEnd..];
            if (brace >= 0)
            {
                var close = line.LastIndexOf('}');
                foreach (var pair in SplitLabels(line[(brace + 1)..close]))
                {
                    labels[pair.Key] = pair.Value;
                }

                rest = line[(close + 1)..];
            }

            var value = rest.Trim().Split(' ')[0];
            yield return new Sample(line[..nameEnd], labels, value);
        }
    }

    /// <summary>The value of the one sample named <paramref name="name"/> whose labels include <paramref name="labels"/>.</summary>
    public static string Value(string text, string name, params (string Key, string Value)[] labels)
    {
        var matches = Samples(text).Where(s => s.Name == name && labels.All(l => s.Labels.TryGetValue(l.Key, out var v) && v == l.Value)).ToList();
        return matches.Count == 1
            ? matches[0].Value
            : throw new Xunit.Sdk.XunitException($"{matches.Count} samples {name}{{{string.Join(",", labels)}}} in:\n{text}");
    }

    private static IEnumerable<KeyValuePair<string, string>> SplitLabels(string body)
    {
        var i = 0;
        while (i < body.Length)
        {
            var eq = body.IndexOf('=', i);
            var key = body[i..eq].Trim(',', ' ');
            var j = eq + 2; // past ="
            var value = new System.Text.StringBuilder();
            while (body[j] != '"')
            {
                if (body[j] == '\\')
                {
                    j++;
                }

                value.Append(body[j]);
                j++;
            }

            yield return new(key, value.ToString());
            i = j + 1;
        }
    }

    /// <summary>One sample line.</summary>
    internal sealed record Sample(string Name, IReadOnlyDictionary<string, string> Labels, string Value)
    {
        public double Number => double.Parse(Value, CultureInfo.InvariantCulture);
    }
}
