using System.Globalization;
using System.Text.RegularExpressions;
using Delivery.Worker.Hosting;
using Delivery.Worker.Tests.Cli;

namespace Delivery.Worker.Tests.Demo;

public sealed partial class DemoCommandTests
{
    [Fact]
    public async Task Demo_TenSecondsWithoutATerminal_PrintsASummaryWhoseNumbersAddUp()
    {
        using var timeout = new CancellationTokenSource(TimeSpan.FromMinutes(2));
        var template = new WorkerHostSettings { UseEnvironmentVariables = false, LogOutput = TextWriter.Null };

        var (code, output, error) = await CliRun.InvokeAsync(template, timeout.Token, "demo", "--duration", "00:00:10", "--rate", "200", "--seed", "7");

        Assert.True(code == 0, error + output);
        Assert.Contains("delivery-worker demo — 200 events/s", output, StringComparison.Ordinal);
        Assert.Matches(@"embedded Kafka: 127\.0\.0\.1:\d+ \(source topic demo\.events, dead letters demo\.dlq\)", output); // for kcat
        Assert.Matches(ProgressLine(), output); // plain progress lines, no live table
        Assert.DoesNotContain("╭", output, StringComparison.Ordinal);
        var produced = Number(output, "produced");
        var delivered = Number(output, "delivered");
        var deadLettered = Number(output, "dead-lettered");
        var pending = Number(output, "still pending");
        var retried = Number(output, "retried");
        // The generator never exceeds its rate (200/s for 10 s, plus at most one second's burst); how close it gets
        // below depends on the machine, so only "it produced for more than a second" is asserted there.
        Assert.InRange(produced, 200, (200 * 10) + 200);
        Assert.True(delivered > produced / 2, output);
        Assert.True(deadLettered > 0, output); // ~1% answered 400
        Assert.True(retried > 0, output);      // ~5% answered 429/503
        Assert.Equal(produced, delivered + deadLettered + pending);
        Assert.Contains($"check: produced {produced} = delivered {delivered} + dead-lettered {deadLettered} + still pending {pending}: OK", output, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("--duration", "soon")]
    [InlineData("--rate", "0")]
    [InlineData("--bad-rate", "2")]
    public async Task Demo_BadOption_ExitsNonZeroNamingIt(string option, string value)
    {
        var (code, _, error) = await CliRun.InvokeAsync("demo", option, value);

        Assert.NotEqual(0, code);
        Assert.Contains(option, error, StringComparison.Ordinal);
    }

    private static long Number(string output, string label)
    {
        var match = Regex.Match(output, $"^{Regex.Escape(label)}: (\\d+)", RegexOptions.Multiline);
        Assert.True(match.Success, $"no '{label}:' line in:\n{output}");
        return long.Parse(match.Groups[1].Value, CultureInfo.InvariantCulture);
    }

    [GeneratedRegex(@"^\[00:00:0\d\] \w+ produced=\d+ consumed=\d+ delivered=\d+", RegexOptions.Multiline)]
    private static partial Regex ProgressLine();
}
