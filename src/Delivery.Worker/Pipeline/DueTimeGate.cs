namespace Delivery.Worker.Pipeline;

/// <summary>
/// Holds back retry-tier records that are not yet due (DESIGN.md §5): the partition is paused and sought back to the
/// record, and a timer (of the <see cref="TimeProvider"/>) posts <see cref="PipelineCommand.DuePassed"/> when it is
/// due. The partition resumes only once the due time passed <em>and</em> the seek took effect, so the record is never
/// skipped; a later record arriving first means the seek was lost (<see cref="Admission.SeekLost"/>), up to
/// <see cref="MaxLostSeeks"/> times in a row (after that the record is assumed gone, e.g. deleted by retention).
/// Decides on <see cref="PartitionState"/> fields only; the consume loop applies pause and seek. Consume loop only.
/// </summary>
internal sealed class DueTimeGate(TimeProvider time, Action<PipelineCommand> post)
{
    /// <summary>Lost seeks in a row after which a later record is accepted.</summary>
    public const int MaxLostSeeks = 5;

    /// <summary>Whether <paramref name="offset"/>, just consumed from <paramref name="state"/>, may be taken.</summary>
    public static Admission Admit(PartitionState state, long offset)
    {
        ArgumentNullException.ThrowIfNull(state);
        if (state.WaitingForDue)
        {
            return Admission.Ignore;
        }

        if (state.ExpectedNext is { } expected)
        {
            if (offset > expected && state.LostSeeks++ < MaxLostSeeks)
            {
                return Admission.SeekLost;
            }

            state.ExpectedNext = null;
            state.LostSeeks = 0;
        }

        return offset <= state.LastTracked ? Admission.Rewind : Admission.Accept;
    }

    /// <summary>
    /// Defers <paramref name="offset"/> until <paramref name="due"/>: marks the partition waiting with a seek pending
    /// and starts the timer. The caller pauses the partition and tries the seek (<see cref="SeekDone"/> on success).
    /// </summary>
    public void Defer(PartitionState state, long offset, DateTimeOffset due, DateTimeOffset now)
    {
        ArgumentNullException.ThrowIfNull(state);
        state.WaitingForDue = true;
        state.DueElapsed = false;
        state.ExpectedNext = offset;
        state.PendingSeek = offset;
        state.DueTimer?.Dispose();
        var generation = ++state.DueGeneration;
        var delay = due - now;
        state.DueTimer = time.CreateTimer(
            static s => ((DueTimerState)s!).Fire(),
            new DueTimerState(state, generation, post),
            delay > TimeSpan.Zero ? delay : TimeSpan.Zero,
            Timeout.InfiniteTimeSpan);
    }

    /// <summary>
    /// The due time of <paramref name="state"/> passed (the command arrived and the state is still assigned); a
    /// command of an earlier deferral (<paramref name="generation"/>) is ignored.
    /// True when the partition may resume now; otherwise it resumes when the pending seek is done.
    /// </summary>
    public static bool DuePassed(PartitionState state, int generation)
    {
        ArgumentNullException.ThrowIfNull(state);
        if (!state.WaitingForDue || generation != state.DueGeneration)
        {
            return false;
        }

        if (state.PendingSeek is null)
        {
            state.WaitingForDue = false;
            return true;
        }

        state.DueElapsed = true;
        return false;
    }

    /// <summary>The seek back to the deferred record succeeded. True when the partition may resume now.</summary>
    public static bool SeekDone(PartitionState state)
    {
        ArgumentNullException.ThrowIfNull(state);
        state.PendingSeek = null;
        if (!state.DueElapsed)
        {
            return false;
        }

        state.DueElapsed = false;
        state.WaitingForDue = false;
        return true;
    }

    private sealed class DueTimerState(PartitionState state, int generation, Action<PipelineCommand> post)
    {
        public void Fire() => post(new PipelineCommand.DuePassed(state, generation));
    }
}
