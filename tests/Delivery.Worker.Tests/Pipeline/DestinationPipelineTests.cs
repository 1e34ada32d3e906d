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

    [Fact]
    public async Task Deliver_RetryableUntilMaxAttempts_DeadLetteredRetriesExhaustedWithAttemptCount()
    {
        using var cluster = KafkaTestCluster.Create();
        var destination = new ScriptedDestination();
        destination.Script("stubborn", EventScript.FailAlways(503));
        await using var scenario = new PipelineScenario(cluster, output, destination);
        await scenario.CreateSourceAsync(partitions: 1);
        await scenario.ProduceEventsAsync(["stubborn", "fine"]);

        await scenario.StartWorkerAsync();

        using var dlq = cluster.Read(scenario.DeadLetterTopic);
        await Wait.UntilAsync(() => dlq.Poll().Count == 1, Deadline, "the stubborn event is dead-lettered");
        Assert.True(DeliveryHeaderCodec.TryDecode(dlq.Records[0].Message.Headers, out var headers, out var problem), problem);
        Assert.Equal(Core.Outcomes.DeadLetterReason.RetriesExhausted, headers.DeadLetterReason);
        Assert.Equal(4, headers.Attempt);
        Assert.Equal(503, headers.Error!.Status);
        Assert.Equal([1, 2, 3, 4], destination.Seen.Where(s => s.EventId == "stubborn").Select(s => s.Attempt).Order());
        Assert.Equal(["fine"], destination.Delivered.Select(d => d.EventId));
    }

    [Fact]
    public async Task Deliver_OlderThanMaxAge_DeadLetteredMaxAgeExceeded()
    {
        using var cluster = KafkaTestCluster.Create();
        var destination = new ScriptedDestination();
        destination.Script("old", EventScript.FailAlways(500));
        await using var scenario = new PipelineScenario(cluster, output, destination);
        scenario.Settings[$"{scenario.Prefix}:Retry:MaxAttempts"] = "1000";
        scenario.Settings[$"{scenario.Prefix}:Retry:MaxAge"] = "00:00:01";
        await scenario.CreateSourceAsync(partitions: 1);
        await scenario.ProduceEventsAsync(["old"]);

        await scenario.StartWorkerAsync();

        using var dlq = cluster.Read(scenario.DeadLetterTopic);
        await Wait.UntilAsync(() => dlq.Poll().Count == 1, Deadline, "the old event is dead-lettered");
        Assert.True(DeliveryHeaderCodec.TryDecode(dlq.Records[0].Message.Headers, out var headers, out var problem), problem);
        Assert.Equal(Core.Outcomes.DeadLetterReason.MaxAgeExceeded, headers.DeadLetterReason);
        Assert.InRange(headers.Attempt, 2, 20);
        Assert.True(headers.DeadLetteredAt!.Value - headers.FirstAttemptAt >= TimeSpan.FromSeconds(1));
    }

    [Fact]
    public async Task Deliver_RetryAfter_NeverDeliveredBeforeIt()
    {
        using var cluster = KafkaTestCluster.Create();
        var destination = new ScriptedDestination();
        var retryAfter = TimeSpan.FromSeconds(1.5);
        destination.Script("throttled", EventScript.FailTimes(1, 429, retryAfter));
        await using var scenario = new PipelineScenario(cluster, output, destination);
        await scenario.CreateSourceAsync(partitions: 1);
        await scenario.ProduceEventsAsync(["throttled"]);

        await scenario.StartWorkerAsync();

        await Wait.UntilAsync(() => !destination.Delivered.IsEmpty, Deadline, "the throttled event is delivered");
        var failedAt = destination.Seen.Single(s => s.Attempt == 1).At;
        var delivered = destination.Delivered.Single();
        Assert.Equal(2, delivered.Attempt);
        Assert.True(delivered.At - failedAt >= retryAfter, $"delivered {delivered.At - failedAt} after the failure");
    }

    [Fact]
    public async Task Deliver_RetriesOfOneCallDueTogether_LeaveAtTheirDueTimeNotAfterMaxWait()
    {
        using var cluster = KafkaTestCluster.Create();
        var destination = new ScriptedDestination();
        destination.Script("retry-a", EventScript.FailTimes(1, 503));
        destination.Script("retry-b", EventScript.FailTimes(1, 503));
        await using var scenario = new PipelineScenario(cluster, output, destination);
        var maxWait = TimeSpan.FromSeconds(30);
        scenario.Settings[$"{scenario.Prefix}:Batch:MaxEvents"] = "3"; // the first call is full at once
        scenario.Settings[$"{scenario.Prefix}:Batch:MaxWait"] = PipelineScenario.Ms(maxWait);
        scenario.Settings[$"{scenario.Prefix}:Retry:Delays:0"] = "00:00:01";
        scenario.Settings[$"{scenario.Prefix}:Retry:Delays:1"] = "00:00:01";
        await scenario.CreateSourceAsync(partitions: 1);
        await scenario.ProduceEventsAsync(["ok", "retry-a", "retry-b"]);

        await scenario.StartWorkerAsync();

        // Kept back until due (RetryPrefetch), nothing else coming due: the two leave at once, not after MaxWait.
        await Wait.UntilAsync(() => destination.Delivered.Count(d => d.Attempt == 2) == 2, Deadline, "both retries are delivered");
        var failedAt = destination.Seen.Where(s => s.Attempt == 1 && s.EventId.StartsWith("retry", StringComparison.Ordinal)).Max(s => s.At);
        var retried = destination.Delivered.Where(d => d.Attempt == 2).ToList();
        Assert.All(retried, r => Assert.True(r.At - failedAt < maxWait / 2, $"delivered {r.At - failedAt} after the failure (MaxWait {maxWait})"));
        Assert.Single(retried.Select(r => r.At).Distinct()); // in one call
    }

    [Fact]
    public async Task Deliver_CorruptRetryHeaders_DeadLetteredMalformedRetryRecordNeverHandled()
    {
        using var cluster = KafkaTestCluster.Create();
        await using var scenario = new PipelineScenario(cluster, output);
        await scenario.CreateSourceAsync(partitions: 1);
        await scenario.StartWorkerAsync();
        var corrupt = PipelineScenario.Message("corrupt");
        corrupt.Headers.Add(DeliveryHeaders.EventId, Encoding.UTF8.GetBytes("corrupt"));
        corrupt.Headers.Add(DeliveryHeaders.Attempt, Encoding.UTF8.GetBytes("not-a-number"));
        var missing = PipelineScenario.Message("bare");

        await cluster.ProduceAsync(scenario.RetryTopic(1), [corrupt, missing]);
        await scenario.ProduceEventsAsync(["after"]);

        using var dlq = cluster.Read(scenario.DeadLetterTopic);
        await Wait.UntilAsync(() => dlq.Poll().Count == 2, Deadline, "both malformed records are dead-lettered");
        await Wait.UntilAsync(() => destination(scenario).Delivered.Any(d => d.EventId == "after"), Deadline, "later events still flow");
        foreach (var record in dlq.Records)
        {
            Assert.True(DeliveryHeaderCodec.TryDecode(record.Message.Headers, out var headers, out var problem), problem);
            Assert.Equal(Core.Outcomes.DeadLetterReason.MalformedRetryRecord, headers.DeadLetterReason);
            Assert.Equal(scenario.RetryTopic(1), headers.Origin.Topic);
            Assert.Equal("DESERIALIZATION_FAILED", headers.Error!.ErrorType);
        }

        Assert.Contains(dlq.Records, r => DeliveryHeaderCodec.GetString(r.Message.Headers, DeliveryHeaders.ErrorMessage)!.Contains("delivery-attempt", StringComparison.Ordinal));
        Assert.DoesNotContain(scenario.Destination.Seen, s => s.EventId is "corrupt" or "bare");
        await Wait.UntilAsync(() => cluster.CommittedLag(scenario.Group, scenario.RetryTopic(1)) == 0, Deadline, "the malformed records are committed");

        static ScriptedDestination destination(PipelineScenario s) => s.Destination;
    }

    [Fact]
    public async Task Deliver_HandlerThrowsWithoutBisection_EveryEventRetriedAsHandlerException()
    {
        using var cluster = KafkaTestCluster.Create();
        var destination = new ScriptedDestination();
        var throwOnce = 1;
        destination.Override = batch => Interlocked.Exchange(ref throwOnce, 0) == 1 ? throw new InvalidOperationException("boom") : null;
        await using var scenario = new PipelineScenario(cluster, output, destination);
        scenario.Settings["Delivery:Pipeline:BisectOnHandlerException"] = "false";
        scenario.Settings[$"{scenario.Prefix}:Batch:MaxWait"] = "00:00:00.300";
        await scenario.CreateSourceAsync(partitions: 1);
        await scenario.ProduceEventsAsync(["a", "b", "c"]);

        await scenario.StartWorkerAsync();

        await Wait.UntilAsync(() => destination.Delivered.Count == 3, Deadline, "all three are delivered");
        Assert.All(destination.Delivered, d => Assert.Equal(2, d.Attempt));
        using var tier1 = cluster.Read(scenario.RetryTopic(1));
        await Wait.UntilAsync(() => tier1.Poll().Count == 3, Deadline, "three retry records");
        Assert.All(tier1.Records, r => Assert.Equal("HANDLER_EXCEPTION", DeliveryHeaderCodec.GetString(r.Message.Headers, DeliveryHeaders.ErrorType)));
    }

    [Fact]
    public async Task Deliver_ShortResponse_MissingSlotsRetriedAsMissingResponse()
    {
        using var cluster = KafkaTestCluster.Create();
        var destination = new ScriptedDestination();
        var once = 1;
        destination.Override = batch =>
        {
            if (Interlocked.Exchange(ref once, 0) == 0)
            {
                return null;
            }

            var response = new Core.MultiStatus.MultiStatusResponse();
            response.PushSuccessResponse(new Core.MultiStatus.ActionDestinationSuccessResponse { Status = 200 });
            return response;
        };
        await using var scenario = new PipelineScenario(cluster, output, destination);
        scenario.Settings[$"{scenario.Prefix}:Batch:MaxWait"] = "00:00:00.300";
        await scenario.CreateSourceAsync(partitions: 1);
        await scenario.ProduceEventsAsync(["first", "second", "third"]);

        await scenario.StartWorkerAsync();

        await Wait.UntilAsync(() => destination.Delivered.Count == 2, Deadline, "the two unanswered events are redelivered");
        Assert.All(destination.Delivered, d => Assert.Equal(2, d.Attempt));
        Assert.Equal(["second", "third"], destination.Delivered.Select(d => d.EventId).Order());
        using var tier1 = cluster.Read(scenario.RetryTopic(1));
        await Wait.UntilAsync(() => tier1.Poll().Count == 2, Deadline, "two retry records");
        Assert.All(tier1.Records, r => Assert.Equal("MISSING_RESPONSE", DeliveryHeaderCodec.GetString(r.Message.Headers, DeliveryHeaders.ErrorType)));
    }

    [Fact]
    public async Task Deliver_ExtraSlots_IgnoredAndEveryEventDeliveredOnce()
    {
        using var cluster = KafkaTestCluster.Create();
        var destination = new ScriptedDestination();
        destination.Override = batch =>
        {
            var response = new Core.MultiStatus.MultiStatusResponse();
            for (var i = 0; i < batch.Count + 3; i++)
            {
                response.PushSuccessResponse(new Core.MultiStatus.ActionDestinationSuccessResponse { Status = 200 });
            }

            foreach (var evt in batch)
            {
                destination.Delivered.Enqueue((evt.EventId, evt.Attempt, TimeProvider.System.GetUtcNow()));
            }

            return response;
        };
        await using var scenario = new PipelineScenario(cluster, output, destination);
        await scenario.CreateSourceAsync(partitions: 1);
        await scenario.ProduceEventsAsync(["x", "y"]);

        await scenario.StartWorkerAsync();

        await Wait.UntilAsync(() => cluster.CommittedLag(scenario.Group, scenario.SourceTopic) == 0, Deadline, "both are committed");
        Assert.Equal(["x", "y"], destination.Delivered.Select(d => d.EventId).Order());
        using var tier1 = cluster.Read(scenario.RetryTopic(1));
        using var dlq = cluster.Read(scenario.DeadLetterTopic);
        Assert.Empty(tier1.Poll());
        Assert.Empty(dlq.Poll());
    }

    [Fact]
    public async Task Deliver_PoisonEventThrows_PoisonDeadLetteredAfterMaxAttemptsOthersDeliveredOnce()
    {
        using var cluster = KafkaTestCluster.Create();
        var destination = new ScriptedDestination();
        destination.Script("poison", EventScript.ThrowAlways);
        await using var scenario = new PipelineScenario(cluster, output, destination);
        scenario.Settings[$"{scenario.Prefix}:Batch:MaxWait"] = "00:00:00.300";
        await scenario.CreateSourceAsync(partitions: 1);
        var ids = Enumerable.Range(0, 20).Select(i => i == 7 ? "poison" : $"good-{i}").ToList();
        await scenario.ProduceEventsAsync(ids);

        await scenario.StartWorkerAsync();

        using var dlq = cluster.Read(scenario.DeadLetterTopic);
        await Wait.UntilAsync(() => dlq.Poll().Count == 1, Deadline, "the poison event is dead-lettered");
        await Wait.UntilAsync(() => destination.Delivered.Count == 19, Deadline, "the others are delivered");
        Assert.True(DeliveryHeaderCodec.TryDecode(dlq.Records[0].Message.Headers, out var headers, out var problem), problem);
        Assert.Equal("poison", headers.EventId);
        Assert.Equal(Core.Outcomes.DeadLetterReason.RetriesExhausted, headers.DeadLetterReason);
        Assert.Equal("HANDLER_EXCEPTION", headers.Error!.ErrorType);
        Assert.Equal(4, headers.Attempt);
        Assert.All(destination.Delivered, d => Assert.Equal(1, d.Attempt));
        Assert.Equal(19, destination.Delivered.Select(d => d.EventId).Distinct().Count());
    }

    [Fact]
    public async Task Stop_HandlerSlowerThanShutdownTimeout_StopsInTimeAndUnresolvedEventsAreRedelivered()
    {
        using var cluster = KafkaTestCluster.Create();
        var destination = new ScriptedDestination { Latency = TimeSpan.FromSeconds(30) };
        await using var scenario = new PipelineScenario(cluster, output, destination);
        scenario.Settings["Delivery:ShutdownTimeout"] = "00:00:01";
        await scenario.CreateSourceAsync(partitions: 1);
        await scenario.ProduceEventsAsync(["slow-1", "slow-2"]);
        var first = await scenario.StartWorkerAsync();
        await Wait.UntilAsync(() => destination.CallsStarted == 1, Deadline, "the batch is with the handler");

        // The stop returns while the handler's 30 s call is still running (it gives up the started batch after
        // ShutdownTimeout): no call has completed when it returns. The deadline only guards against a hang.
        await scenario.StopWorkerAsync(first).WaitAsync(TimeSpan.FromSeconds(25));

        Assert.Equal(0, destination.Calls);
        Assert.Empty(destination.Delivered);
        Assert.Equal(2, cluster.CommittedLag(scenario.Group, scenario.SourceTopic));
        destination.Latency = TimeSpan.Zero;
        await scenario.StartWorkerAsync();
        await Wait.UntilAsync(() => destination.Delivered.Count == 2, Deadline, "the unresolved events are redelivered after the restart");
    }

    [Fact]
    public async Task Consume_SourceTopicCreatedLater_UnknownTopicToleratedThenDelivered()
    {
        using var cluster = KafkaTestCluster.Create();
        await using var scenario = new PipelineScenario(cluster, output);
        if (cluster.Embedded is not null)
        {
            // Not the embedded mode (which creates every topic up front): a plain broker address, no topic creation.
            scenario.Settings["Delivery:Kafka:Embedded"] = "false";
            scenario.Settings["Delivery:Kafka:BootstrapServers"] = cluster.BootstrapServers;
            scenario.Settings["Delivery:Kafka:CreateTopics"] = "false";
        }

        var host = await scenario.StartWorkerAsync();
        await Wait.UntilAsync(() => scenario.Logged(3005) > 0 || cluster.Embedded is null, Deadline, "the consumer reports the missing topic");
        Assert.Equal(Worker.Pipeline.DestinationState.Running, PipelineScenario.Status(host).Single().State);

        await scenario.CreateSourceAsync(partitions: 1);
        await scenario.ProduceEventsAsync(["late-1", "late-2"]);

        await Wait.UntilAsync(() => scenario.Destination.Delivered.Count == 2, Deadline, "the events of the late topic are delivered");
    }
}
