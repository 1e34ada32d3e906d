namespace Delivery.Core.MultiStatus;

/// <summary>The destination accepted the event. <see cref="ActionDestinationResponse.Status"/> must be 2xx.</summary>
public sealed record ActionDestinationSuccessResponse : ActionDestinationResponse;
