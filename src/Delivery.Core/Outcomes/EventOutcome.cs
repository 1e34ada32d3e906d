namespace Delivery.Core.Outcomes;

/// <summary>What happens to one event after its batch was answered.</summary>
public abstract record EventOutcome
{
    private protected EventOutcome()
    {
    }

    /// <summary>The destination accepted the event.</summary>
    public static EventOutcome Delivered { get; } = new DeliveredOutcome();

    /// <summary>Re-enqueue on retry tier <paramref name="Tier"/>, not before <paramref name="DueAt"/>.</summary>
    public sealed record Retry(DateTimeOffset DueAt, int Tier, DeliveryError Error) : EventOutcome;

    /// <summary>Send to the dead-letter topic.</summary>
    public sealed record DeadLetter(DeadLetterReason Reason, DeliveryError Error) : EventOutcome;

    /// <summary>Singleton type of <see cref="Delivered"/>.</summary>
    public sealed record DeliveredOutcome : EventOutcome
    {
        internal DeliveredOutcome()
        {
        }
    }
}
