using System.Text;
using Delivery.Worker.Kafka;
using Delivery.Worker.Tests.Infrastructure;
using Xunit.Abstractions;

namespace Delivery.Worker.Tests.Pipeline;

public sealed class DestinationPipelineTests(ITestOutputHelper output)
{
    private static readonly TimeSpan Deadline = TimeSpan.FromSeconds(30);

    [Fact]
    public async Task Deliver_AllSucceed_DeliveredOnceAndCommitted()
    {
        using var cluster = KafkaTestCluster.Create();
        await using var scenario = new PipelineScenario(cluster, output);
        await scenario.CreateSourceAsync();
        var ids = Enumerable.Range(0, 200).Select(i => $"ok-{i}").ToList();
        await scenario.ProduceEventsAsync(ids);

        await scenario.StartWorkerAsync();

        await Wait.UntilAsync(() => scenario.Destination.Delivered.Select(d => d.EventId).Distinct().Count() == ids.Count, Deadline, "every event is delivered");
        await Wait.UntilAsync(() => cluster.CommittedLag(scenario.Group, scenario.SourceTopic) == 0, Deadline, "offsets are committed");
        Assert.Equal(ids.Count, scenario.Destination.Delivered.Count);
        Assert.All(scenario.Destination.Delivered, d => Assert.Equal(1, d.Attempt));
    }

    [Fact]
    public async Task Deliver_MixedBatch_SuccessCommittedRetryableRedeliveredNonRetryableDeadLettered()
    {
        using var cluster = KafkaTestCluster.Create();
        var destination = new ScriptedDestination();
        destination.Script("retry-1", EventScript.FailTimes(1, 503));
        destination.Script("retry-2", EventScript.FailTimes(2, 429));
        destination.Script("bad", EventScript.FailAlways(400));
        await using var scenario = new PipelineScenario(cluster, output, destination);
        await scenario.CreateSourceAsync(partitions: 1);
        await scenario.ProduceEventsAsync(["ok-1", "retry-1", "bad", "retry-2", "ok-2"]);

        await scenario.StartWorkerAsync();

        await Wait.UntilAsync(() => destination.Delivered.Select(d => d.EventId).Distinct().Count() == 4, Deadline, "the four deliverable events arrive");
        using var dlq = cluster.Read(scenario.DeadLetterTopic);
        await Wait.UntilAsync(() => dlq.Poll().Count == 1, Deadline, "the non-retryable event is dead-lettered");
        var delivered = destination.Delivered.ToDictionary(d => d.EventId);
        Assert.Equal(1, delivered["ok-1"].Attempt);
        Assert.Equal(2, delivered["retry-1"].Attempt);
        Assert.Equal(3, delivered["retry-2"].Attempt);

        var dead = dlq.Records.Single();
        Assert.Equal("k-bad", Encoding.UTF8.GetString(dead.Message.Key));
        Assert.Equal("{\"id\":\"bad\"}", Encoding.UTF8.GetString(dead.Message.Value));
        Assert.True(DeliveryHeaderCodec.TryDecode(dead.Message.Headers, out var headers, out var problem), problem);
        Assert.Equal("bad", headers.EventId);
        Assert.Equal(Core.Outcomes.DeadLetterReason.NonRetryable, headers.DeadLetterReason);
        Assert.Equal(400, headers.Error!.Status);
        Assert.Equal("BAD_REQUEST", headers.Error.ErrorType);
        Assert.Equal("scripted failure 400", headers.Error.Message);
        Assert.Equal(scenario.SourceTopic, headers.Origin.Topic);
        Assert.Equal(2, headers.Origin.Offset);
        Assert.Equal(1, headers.Attempt);
        Assert.Equal(scenario.Name, headers.Destination);
        Assert.Equal(scenario.Group, headers.ConsumerGroup);
        Assert.NotNull(headers.DeadLetteredAt);
        Assert.Equal(new byte[] { 0xde, 0xad, 0x00, 0xbe, 0xef }, dead.Message.Headers.GetLastBytes("custom"));

        using var tier1 = cluster.Read(scenario.RetryTopic(1));
        using var tier2 = cluster.Read(scenario.RetryTopic(2));
        await Wait.UntilAsync(() => tier1.Poll().Count == 2 && tier2.Poll().Count == 1, Deadline, "retry records are on their tiers");
        var first = tier1.Records.Single(r => DeliveryHeaderCodec.GetString(r.Message.Headers, DeliveryHeaders.EventId) == "retry-1");
        Assert.True(DeliveryHeaderCodec.TryDecode(first.Message.Headers, out var retry, out problem), problem);
        Assert.Equal(1, retry.Attempt);
        Assert.Equal(503, retry.Error!.Status);
        Assert.Equal(1, retry.Origin.Offset);
        Assert.NotNull(retry.NotBefore);
        Assert.Equal("k-retry-1", Encoding.UTF8.GetString(first.Message.Key));
        Assert.Single(first.Message.Headers, h => h.Key == "event-id");
        Assert.Single(first.Message.Headers, h => h.Key == DeliveryHeaders.Attempt);
        var second = tier2.Records.Single();
        Assert.Equal("2", DeliveryHeaderCodec.GetString(second.Message.Headers, DeliveryHeaders.Attempt));
        Assert.Single(second.Message.Headers, h => h.Key == DeliveryHeaders.Attempt);
        Assert.Single(second.Message.Headers, h => h.Key == DeliveryHeaders.EventId);

        await Wait.UntilAsync(() => cluster.CommittedLag(scenario.Group, scenario.SourceTopic) == 0, Deadline, "source offsets are committed");
        await Wait.UntilAsync(() => cluster.CommittedLag(scenario.Group, scenario.RetryTopic(1)) == 0, Deadline, "tier-1 offsets are committed");
    }
}
