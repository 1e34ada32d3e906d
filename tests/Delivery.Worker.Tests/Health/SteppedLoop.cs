using Delivery.Worker.Health;

namespace Delivery.Worker.Tests.Health;

/// <summary>
/// A consume loop on its own thread that beats at the top of each turn, turning when the test asks; told to block, it
/// enters a wait that does not return until the test releases it (a hung call, as in a stuck consumer).
/// </summary>
internal sealed class SteppedLoop : IDisposable
{
    private readonly IConsumeLoopHeartbeat _heartbeat;
    private readonly SemaphoreSlim _step = new(0);
    private readonly SemaphoreSlim _turned = new(0);
    private readonly ManualResetEventSlim _release = new(false);
    private readonly Thread _thread;
    private volatile bool _block;
    private volatile bool _stop;

    public SteppedLoop(IConsumeLoopHeartbeat heartbeat)
    {
        _heartbeat = heartbeat;
        _thread = new Thread(Run) { IsBackground = true, Name = "stepped-loop" };
        _thread.Start();
    }

    /// <summary>Lets the loop take one turn and waits until it has.</summary>
    public async Task TurnAsync()
    {
        _step.Release();
        Assert.True(await _turned.WaitAsync(TimeSpan.FromSeconds(10)), "the loop did not turn");
    }

    /// <summary>The next turn blocks inside the loop; returns after that turn's beat.</summary>
    public async Task BlockAsync()
    {
        _block = true;
        await TurnAsync();
    }

    /// <summary>Releases the blocked call; returns after the loop's next turn.</summary>
    public async Task UnblockAsync()
    {
        _block = false;
        _release.Set();
        await TurnAsync();
    }

    public void Dispose()
    {
        _stop = true;
        _release.Set();
        _step.Release();
        _thread.Join(TimeSpan.FromSeconds(10));
        _heartbeat.Dispose();
        _step.Dispose();
        _turned.Dispose();
        _release.Dispose();
    }

    private void Run()
    {
        while (true)
        {
            _step.Wait();
            if (_stop)
            {
                return;
            }

            _heartbeat.Beat();
            var block = _block;
            _turned.Release();
            if (block)
            {
                _release.Wait(); // the hung call: no beat until it returns
                _release.Reset();
            }
        }
    }
}
