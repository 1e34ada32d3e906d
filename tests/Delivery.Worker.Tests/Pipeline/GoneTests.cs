using Delivery.Core.MultiStatus;
using Delivery.Worker.Pipeline;
using Delivery.Worker.Tests.Infrastructure;
using Xunit.Abstractions;

namespace Delivery.Worker.Tests.Pipeline;

public sealed class GoneTests(ITestOutputHelper output)
{
    private const int GoneEventId = 3024;
    private static readonly TimeSpan Deadline = TimeSpan.FromSeconds(30);

    [Fact]
    public async Task Gone_EndpointAnswers410_HeldVisiblyAsGoneNothingDeadLetteredThenResumes()
    {
        using var cluster = KafkaTestCluster.Create();
        var destination = new ScriptedDestination();
        var gone = true;
        destination.Override = _ => Volatile.Read(ref gone)
            ? throw new DestinationGoneException("The webhook endpoint answered 410 Gone.", "http://hooks.example:8080")
            : null;
        await using var scenario = new PipelineScenario(cluster, output, destination);
        scenario.Settings["Delivery:Pipeline:GoneBackoff"] = "00:00:01";
        await scenario.CreateSourceAsync(partitions: 1);
        await scenario.ProduceEventsAsync(["g-1", "g-2"]);

        var host = await scenario.StartWorkerAsync();

        await Wait.UntilAsync(() => scenario.Logged(GoneEventId) > 0, Deadline, "the 410 is logged as gone");
        await Wait.UntilAsync(() => PipelineScenario.Status(host).Single().State == DestinationState.Held, Deadline, "the destination is held");
        var status = PipelineScenario.Status(host).Single();
        Assert.StartsWith("gone: http://hooks.example:8080 answered 410 Gone", status.Detail, StringComparison.Ordinal);
        var calls = destination.CallsStarted;
        await Wait.UntilAsync(() => destination.CallsStarted >= calls + 1, Deadline, "the held batch is tried again after the gone back-off");

        Volatile.Write(ref gone, false);

        await Wait.UntilAsync(() => destination.Delivered.Count == 2, Deadline, "delivered once the endpoint answers again");
        Assert.All(destination.Delivered, d => Assert.Equal(1, d.Attempt));
        using var tier1 = cluster.Read(scenario.RetryTopic(1));
        using var dlq = cluster.Read(scenario.DeadLetterTopic);
        Assert.Empty(tier1.Poll());
        Assert.Empty(dlq.Poll());
    }
}
