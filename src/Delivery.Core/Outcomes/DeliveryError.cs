namespace Delivery.Core.Outcomes;

/// <summary>The last error an event met: what goes into the <c>delivery-error-*</c> headers.</summary>
/// <param name="Status">HTTP-like status.</param>
/// <param name="ErrorType">One of <see cref="MultiStatus.ErrorCodes"/>.</param>
/// <param name="Message">Human-readable reason (never a secret).</param>
/// <param name="Body">What the destination answered for the event, if anything.</param>
public sealed record DeliveryError(int Status, string ErrorType, string Message, string? Body = null);
