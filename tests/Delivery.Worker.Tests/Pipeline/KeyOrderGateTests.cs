using System.Text;
using Delivery.Worker.Pipeline;

namespace Delivery.Worker.Tests.Pipeline;

public sealed class KeyOrderGateTests
{
    private readonly Microsoft.Extensions.Time.Testing.FakeTimeProvider _time = PipelineUnits.Clock();

    /// <summary>A tracked record at <paramref name="offset"/> with key <paramref name="key"/> (null: no key).</summary>
    internal static PendingRecord Keyed(PartitionState state, long offset, string? key)
    {
        var record = PipelineUnits.Record(state, offset);
        record.Message.Key = key is null ? null! : Encoding.UTF8.GetBytes(key);
        return record;
    }

    [Fact]
    public void Admit_SecondRecordOfKey_ParkedWhileOtherKeysGoOut()
    {
        var gate = new KeyOrderGate(_time);
        var p = PipelineUnits.Partition();

        Assert.True(gate.Admit(Keyed(p, 0, "a")));
        Assert.False(gate.Admit(Keyed(p, 1, "a")));
        Assert.True(gate.Admit(Keyed(p, 2, "b")));
        Assert.False(gate.Admit(Keyed(p, 3, "a")));

        Assert.Equal(2, gate.Parked);
        Assert.Equal(2, gate.ParkedIn(p));
        Assert.Equal(2, gate.BusyLanes);
    }

    [Fact]
    public void Admit_SameKeyBytesInAnotherArray_SameLane()
    {
        var gate = new KeyOrderGate(_time);
        var p = PipelineUnits.Partition();

        Assert.True(gate.Admit(Keyed(p, 0, "order-17")));

        Assert.False(gate.Admit(Keyed(p, 1, "order-17")));
    }

    [Fact]
    public void Complete_LaneWithParkedRecords_ReleasesThemOneByOneInPartitionOrder()
    {
        var gate = new KeyOrderGate(_time);
        var p = PipelineUnits.Partition();
        var first = Keyed(p, 0, "a");
        gate.Admit(first);
        gate.Admit(Keyed(p, 1, "a"));
        gate.Admit(Keyed(p, 5, "a"));

        var second = gate.Complete(first);
        Assert.Equal(1, second?.Offset);
        var third = gate.Complete(second!);
        Assert.Equal(5, third?.Offset);
        Assert.Null(gate.Complete(third!));

        Assert.Equal(0, gate.Parked);
        Assert.Equal(0, gate.BusyLanes);
        Assert.True(gate.Admit(Keyed(p, 6, "a")));
    }

    [Fact]
    public void Complete_RecordNotOutInItsLane_ChangesNothing()
    {
        var gate = new KeyOrderGate(_time);
        var p = PipelineUnits.Partition();
        gate.Admit(Keyed(p, 0, "a"));
        var parked = Keyed(p, 1, "a");
        gate.Admit(parked);

        Assert.Null(gate.Complete(parked));
        Assert.Null(gate.Complete(Keyed(PipelineUnits.Partition(partition: 9), 0, "a")));

        Assert.Equal(1, gate.Parked);
        Assert.Equal(1, gate.BusyLanes);
    }

    [Fact]
    public void Admit_RecordsWithoutKey_OrderedPerPartitionWithoutBlockingKeys()
    {
        var gate = new KeyOrderGate(_time);
        var p0 = PipelineUnits.Partition(partition: 0);
        var p1 = PipelineUnits.Partition(partition: 1);

        Assert.True(gate.Admit(Keyed(p0, 0, null)));
        Assert.False(gate.Admit(Keyed(p0, 1, null)));
        Assert.True(gate.Admit(Keyed(p0, 2, "a")));
        Assert.True(gate.Admit(Keyed(p1, 0, null)));
        Assert.True(gate.Admit(Keyed(p1, 1, "a")));

        Assert.Equal(1, gate.Parked);
    }

    [Fact]
    public void HoldRetry_BeforeDueTime_NotTakenAndLaterRecordsStayParked()
    {
        var gate = new KeyOrderGate(_time);
        var p = PipelineUnits.Partition();
        var failed = Keyed(p, 0, "a");
        gate.Admit(failed);
        gate.Admit(Keyed(p, 1, "a"));
        var due = new List<PendingRecord>();

        Assert.True(gate.HoldRetry(KeyOrderInbox.NextAttempt(failed), _time.GetUtcNow().AddSeconds(5)));
        _time.Advance(TimeSpan.FromSeconds(4.9));
        gate.TakeDue(due);

        Assert.Empty(due);
        Assert.Equal(TimeSpan.FromSeconds(0.1), gate.UntilNextDue());
        Assert.Equal(1, gate.HeldRetries);
        Assert.Equal(1, gate.Parked);
        Assert.False(gate.Admit(Keyed(p, 2, "a")));
    }

    [Fact]
    public void HoldRetry_DueTimeReached_RetryTakenFirstThenNextRecordAfterItsResolution()
    {
        var gate = new KeyOrderGate(_time);
        var p = PipelineUnits.Partition();
        var failed = Keyed(p, 0, "a");
        gate.Admit(failed);
        gate.Admit(Keyed(p, 1, "a"));
        var retry = KeyOrderInbox.NextAttempt(failed);
        gate.HoldRetry(retry, _time.GetUtcNow().AddSeconds(5));
        var due = new List<PendingRecord>();

        _time.Advance(TimeSpan.FromSeconds(5));
        gate.TakeDue(due);

        Assert.Same(retry, Assert.Single(due));
        Assert.Equal(2, retry.Event.Attempt);
        Assert.Null(gate.UntilNextDue());
        Assert.Equal(1, gate.Complete(retry)?.Offset);
    }

    [Fact]
    public void TakeDue_SeveralHeld_EarliestFirst()
    {
        var gate = new KeyOrderGate(_time);
        var p = PipelineUnits.Partition();
        var a = Keyed(p, 0, "a");
        var b = Keyed(p, 1, "b");
        gate.Admit(a);
        gate.Admit(b);
        gate.HoldRetry(KeyOrderInbox.NextAttempt(a), _time.GetUtcNow().AddSeconds(3));
        gate.HoldRetry(KeyOrderInbox.NextAttempt(b), _time.GetUtcNow().AddSeconds(1));
        var due = new List<PendingRecord>();

        _time.Advance(TimeSpan.FromSeconds(3));
        gate.TakeDue(due);

        Assert.Equal([1L, 0L], due.Select(r => r.Offset));
    }

    [Fact]
    public void HoldRetry_RecordNotOutInItsLane_Refused()
    {
        var gate = new KeyOrderGate(_time);
        var p = PipelineUnits.Partition();

        Assert.False(gate.HoldRetry(Keyed(p, 0, "a"), _time.GetUtcNow()));
        Assert.Equal(0, gate.HeldRetries);
    }

    [Fact]
    public void Drop_RevokedPartition_AbandonsItsParkedAndHeldRecordsOnly()
    {
        var gate = new KeyOrderGate(_time);
        var revoked = PipelineUnits.Partition(partition: 0);
        var kept = PipelineUnits.Partition(partition: 1);
        var held = Keyed(revoked, 0, "a");
        gate.Admit(held);
        gate.Admit(Keyed(revoked, 1, "a"));
        gate.HoldRetry(KeyOrderInbox.NextAttempt(held), _time.GetUtcNow().AddSeconds(1));
        var other = Keyed(kept, 0, "a");
        gate.Admit(other);
        gate.Admit(Keyed(kept, 1, "a"));
        gate.HoldRetry(KeyOrderInbox.NextAttempt(other), _time.GetUtcNow().AddSeconds(1));
        revoked.Revoke();
        var abandoned = new List<PendingRecord>();

        gate.Drop(static s => s.IsRevoked, abandoned.Add);

        Assert.Equal([(0, 0L), (0, 1L)], abandoned.Select(r => (r.Partition.Partition.Partition.Value, r.Offset)).Order());
        Assert.Equal(1, gate.Parked);
        Assert.Equal(1, gate.HeldRetries);
        Assert.Equal(1, gate.BusyLanes);
        Assert.Equal(0, gate.ParkedIn(revoked));
    }

    [Fact]
    public void Complete_ReleasesAParkedRecord_ItsPartitionCountsOneLess()
    {
        var gate = new KeyOrderGate(_time);
        var p = PipelineUnits.Partition();
        var first = Keyed(p, 0, "a");
        gate.Admit(first);
        gate.Admit(Keyed(p, 1, "a"));
        gate.Admit(Keyed(p, 2, "a"));

        gate.Complete(first);

        Assert.Equal(1, gate.ParkedIn(p));
        Assert.Equal(1, gate.Parked);
    }

    [Fact]
    public void UntilNextDue_HeldRetryPastItsDueTime_Zero()
    {
        var gate = new KeyOrderGate(_time);
        var p = PipelineUnits.Partition();
        var failed = Keyed(p, 0, "a");
        gate.Admit(failed);
        gate.HoldRetry(KeyOrderInbox.NextAttempt(failed), _time.GetUtcNow().AddSeconds(1));

        _time.Advance(TimeSpan.FromSeconds(3));

        Assert.Equal(TimeSpan.Zero, gate.UntilNextDue());
    }

    [Fact]
    public void Guards_NullArguments_Throw()
    {
        var gate = new KeyOrderGate(_time);
        Assert.Throws<ArgumentNullException>(() => gate.Admit(null!));
        Assert.Throws<ArgumentNullException>(() => gate.Complete(null!));
        Assert.Throws<ArgumentNullException>(() => gate.HoldRetry(null!, _time.GetUtcNow()));
        Assert.Throws<ArgumentNullException>(() => gate.TakeDue(null!));
        Assert.Throws<ArgumentNullException>(() => gate.Drop(null!, _ => { }));
        Assert.Throws<ArgumentNullException>(() => gate.Drop(_ => true, null!));
    }
}
