using Delivery.Core.MultiStatus;

namespace Delivery.Worker.Pipeline;

/// <summary>One handler call's result: the response, or the exception it ended with (timeouts and an open circuit
/// already translated into <see cref="DestinationUnavailableException"/>).</summary>
/// <param name="Response">The handler's answer.</param>
/// <param name="Exception">What it threw instead.</param>
internal readonly record struct HandlerCall(MultiStatusResponse? Response, Exception? Exception);
