using Confluent.Kafka;
using Delivery.Worker.Kafka;

namespace Delivery.Worker.Dlq;

/// <summary>
/// Re-produces matching dead-lettered records to retry tier 1, as fresh first failures: key, value and own headers
/// byte for byte, <c>delivery-attempt</c> 1, <c>delivery-first-attempt-at</c> and <c>delivery-not-before</c> now (due at
/// once; a kept first-attempt time would make MaxAge dead-letter it again), the DLQ headers removed, the last error kept,
/// <c>delivery-redrive-count</c> + 1. The position is the committed offset of group <c>{ConsumerGroup}.redrive</c>;
/// it advances past every examined record once the records before it are acknowledged, so a second run continues.
/// </summary>
internal static class DlqRedriver
{
    private const int CommitEvery = 200;
    private const int SampleSize = 20;

    /// <summary>Runs a redrive. <paramref name="progress"/> gets (examined, total to examine).</summary>
    public static async Task<RedriveResult> RedriveAsync(
        DlqSession session, RedriveRequest request, TimeProvider time, Action<long, long>? progress, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(session);
        ArgumentNullException.ThrowIfNull(request);
        ArgumentNullException.ThrowIfNull(time);
        var partitions = session.Watermarks();
        var starts = StartPositions(session, partitions, request.FromBeginning);
        var total = partitions.Sum(p => Math.Max(0, p.High - Math.Max(p.Low, starts[p.Partition.Partition.Value])));
        var positions = new Dictionary<int, long>();
        var pending = new List<Task>();
        var sample = new List<DlqRecordView>();
        long examined = 0, matched = 0, redriven = 0, refused = 0, unreadable = 0;
        var maxRedrives = session.Options.DeadLetter.MaxRedrives;
        var maxBodyBytes = session.Options.DeadLetter.MaxBodyBytes;
        try
        {
            foreach (var result in DlqTopicReader.Read(session.Consumer, partitions, tp => starts[tp.Partition.Value], session.Timeout, cancellationToken))
            {
                if (request.Limit is { } limit && redriven >= limit)
                {
                    break;
                }

                examined++;
                var record = DlqRecord.From(result);
                if (record.Headers is null)
                {
                    unreadable++;
                }
                else if (request.Filter.Matches(record))
                {
                    matched++;
                    if (record.RedriveCount >= maxRedrives && !request.Force)
                    {
                        refused++;
                    }
                    else
                    {
                        redriven++;
                        if (sample.Count < SampleSize)
                        {
                            sample.Add(DlqInspector.View(record));
                        }

                        if (!request.DryRun)
                        {
                            pending.Add(session.Producer.ProduceAsync(session.RetryTopic, Redriven(record, time.GetUtcNow(), maxBodyBytes), CancellationToken.None));
                        }
                    }
                }

                positions[record.Partition] = record.Offset + 1;
                progress?.Invoke(examined, total);
                if (!request.DryRun && examined % CommitEvery == 0)
                {
                    await AcknowledgeAndCommitAsync(session, pending, positions);
                }
            }
        }
        finally
        {
            if (!request.DryRun)
            {
                // Whatever was read and acknowledged is committed, also when the run is interrupted.
                await AcknowledgeAndCommitAsync(session, pending, positions);
            }
        }

        return new RedriveResult(examined, matched, redriven, refused, unreadable, total - examined, request.DryRun, sample);
    }

    /// <summary>The retry record for a dead-lettered one.</summary>
    public static Message<byte[], byte[]> Redriven(DlqRecord record, DateTimeOffset now, int maxBodyBytes)
    {
        ArgumentNullException.ThrowIfNull(record);
        var headers = record.Headers ?? throw new ArgumentException("the record has no delivery headers", nameof(record));
        var values = headers with
        {
            Attempt = 1,
            NotBefore = now,
            FirstAttemptAt = now,
            DeadLetterReason = null,
            DeadLetteredAt = null,
            RedriveCount = headers.RedriveCount + 1,
        };
        return new Message<byte[], byte[]>
        {
            Key = record.Message.Key,
            Value = record.Message.Value,
            Headers = DeliveryHeaderCodec.Encode(record.Message.Headers, values, maxBodyBytes),
            Timestamp = new Timestamp(now),
        };
    }

    private static Dictionary<int, long> StartPositions(DlqSession session, IReadOnlyList<(TopicPartition Partition, long Low, long High)> partitions, bool fromBeginning)
    {
        var starts = partitions.ToDictionary(static p => p.Partition.Partition.Value, static p => p.Low);
        if (fromBeginning || partitions.Count == 0)
        {
            return starts;
        }

        foreach (var committed in session.Consumer.Committed(partitions.Select(static p => p.Partition), session.Timeout))
        {
            if (committed.Offset.Value >= 0)
            {
                starts[committed.Partition.Value] = committed.Offset.Value;
            }
        }

        return starts;
    }

    private static async Task AcknowledgeAndCommitAsync(DlqSession session, List<Task> pending, Dictionary<int, long> positions)
    {
        await Task.WhenAll(pending); // a failed produce throws here, before its position is committed
        pending.Clear();
        if (positions.Count > 0)
        {
            session.Consumer.Commit(positions.Select(p => new TopicPartitionOffset(session.Topic, p.Key, p.Value)));
        }
    }
}
