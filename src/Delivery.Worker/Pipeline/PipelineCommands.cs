using System.Collections.Concurrent;

namespace Delivery.Worker.Pipeline;

/// <summary>The consume loop's inbox: any thread posts, only the consume loop takes. Posting wakes the loop.</summary>
internal sealed class PipelineCommands(LoopWakeup wakeup)
{
    private readonly ConcurrentQueue<PipelineCommand> _queue = new();

    /// <summary>True when nothing is waiting to be applied.</summary>
    public bool IsEmpty => _queue.IsEmpty;

    /// <summary>Queues <paramref name="command"/> for the consume loop.</summary>
    public void Post(PipelineCommand command)
    {
        _queue.Enqueue(command);
        wakeup.Pulse();
    }

    /// <summary>Takes the next command (consume loop only).</summary>
    public bool TryTake(out PipelineCommand command) => _queue.TryDequeue(out command!);
}
