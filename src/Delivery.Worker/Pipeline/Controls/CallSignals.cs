using Delivery.Core.MultiStatus;

namespace Delivery.Worker.Pipeline.Controls;

/// <summary>Reads a handler's answer (or what it threw) as a <see cref="CallSignal"/> (pure).</summary>
internal static class CallSignals
{
    /// <summary>The signal of an answer: overloaded if any event's error is 429/503 or has a Retry-After.</summary>
    public static CallSignal Of(MultiStatusResponse response)
    {
        ArgumentNullException.ThrowIfNull(response);
        foreach (var slot in response.GetAllResponses())
        {
            if (slot is ActionDestinationErrorResponse error && (IsOverloadStatus(error.Status) || error.RetryAfter is not null))
            {
                return CallSignal.Overloaded;
            }
        }

        return CallSignal.Healthy;
    }

    /// <summary>
    /// The signal of what a handler threw: overloaded for a whole-request 429/503 or Retry-After reported by the
    /// destination (<see cref="DestinationUnavailableException"/>); anything else says nothing about its load.
    /// </summary>
    public static CallSignal Of(Exception exception) => exception switch
    {
        DestinationUnavailableException { Status: { } status } when IsOverloadStatus(status) => CallSignal.Overloaded,
        DestinationUnavailableException { RetryAfter: not null } => CallSignal.Overloaded,
        _ => CallSignal.Neutral,
    };

    private static bool IsOverloadStatus(int status) => status is 429 or 503;
}
