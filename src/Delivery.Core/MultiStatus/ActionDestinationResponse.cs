using System.Text.Json.Nodes;

namespace Delivery.Core.MultiStatus;

/// <summary>The verdict a destination gives on one event of a batch: a success or an error.</summary>
public abstract record ActionDestinationResponse
{
    /// <summary>The HTTP-like status of this event: 2xx for a success, anything else for an error.</summary>
    public required int Status { get; init; }

    /// <summary>What was sent for this event, when the handler wants it recorded.</summary>
    public JsonNode? Sent { get; init; }

    /// <summary>What the destination answered for this event.</summary>
    public JsonNode? Body { get; init; }

    /// <summary>True for a 2xx status.</summary>
    internal static bool IsSuccessStatus(int status) => status is >= 200 and <= 299;
}
