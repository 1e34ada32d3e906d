namespace Delivery.Worker.Demo;

/// <summary>What <c>delivery-worker demo</c> runs.</summary>
internal sealed record DemoOptions
{
    /// <summary>Stop after this long (null: until Ctrl+C).</summary>
    public TimeSpan? Duration { get; init; }

    /// <summary>Events produced per second.</summary>
    public int Rate { get; init; } = 200;

    /// <summary>Share of events the demo API answers 429 or 503 (retryable), per event.</summary>
    public double RetryableFailureRate { get; init; } = 0.05;

    /// <summary>Share of events the demo API answers 400 (dead-lettered), per event.</summary>
    public double BadRequestRate { get; init; } = 0.01;

    /// <summary>How often the demo API goes down as a whole (null: never), so the worker holds.</summary>
    public TimeSpan? OutageEvery { get; init; } = TimeSpan.FromSeconds(30);

    /// <summary>How long each outage lasts (every request answers 503).</summary>
    public TimeSpan OutageFor { get; init; } = TimeSpan.FromSeconds(3);

    /// <summary>Random seed of the demo API (null: random).</summary>
    public int? Seed { get; init; }

    /// <summary>The destination type the demo delivers through (HttpBatch by default).</summary>
    public string Type { get; init; } = DemoRunner.DefaultType;

    /// <summary>How to drive a custom <see cref="Type"/> (null for HttpBatch).</summary>
    public DestinationDemo? Demo { get; init; }

    /// <summary>Show the live table (a terminal); otherwise plain progress and summary lines.</summary>
    public bool Interactive { get; init; }
}
