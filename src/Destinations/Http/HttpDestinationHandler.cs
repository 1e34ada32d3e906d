using Delivery.Core;
using Delivery.Core.Events;
using Delivery.Core.MultiStatus;
using Delivery.Destinations.Validation;
using Microsoft.Extensions.Logging;

namespace Delivery.Destinations.Http;

/// <summary>
/// What every HTTP handler holds and does alike: its HTTP plumbing, settings, logger and instruments, the target
/// address (<c>Http:BaseAddress</c> + the type's path), the pre-validation of <c>Settings:RequireAnyOf</c>, and the
/// reporting of contract violations.
/// </summary>
/// <typeparam name="TSettings">The type's settings class.</typeparam>
internal abstract class HttpDestinationHandler<TSettings> : IDestinationHandler
    where TSettings : class, IDestinationSettings
{
    protected HttpDestinationHandler(HandlerContext<TSettings> context, string? path, bool requireJson, bool requireObject)
    {
        ArgumentNullException.ThrowIfNull(context);
        Http = context.Http;
        Settings = context.Settings;
        Logger = context.Logger;
        Metrics = context.Metrics;
        Validator = new EventPreValidator(requireJson, requireObject, context.Settings.RequireAnyOf);
        Uri = context.Http.Resolve(path);
    }

    /// <summary>The destination's HTTP plumbing.</summary>
    protected DestinationHttpClient Http { get; }

    /// <summary>The type's validated settings.</summary>
    protected TSettings Settings { get; }

    /// <summary>The handler's logger.</summary>
    protected ILogger Logger { get; }

    /// <summary>The destination instruments.</summary>
    protected DestinationMetrics Metrics { get; }

    /// <summary>Pre-validation of each event (JSON, object, <c>RequireAnyOf</c>).</summary>
    protected EventPreValidator Validator { get; }

    /// <summary>Where requests go.</summary>
    protected Uri Uri { get; }

    /// <inheritdoc />
    public abstract ValueTask<MultiStatusResponse> SendBatchAsync(DeliveryBatch batch, CancellationToken cancellationToken);

    /// <summary>Logs (EventId 7101) and counts an answer that broke the API's contract.</summary>
    protected void Violation(string violation)
    {
        DestinationsLog.ContractViolation(Logger, Http.Destination, violation);
        Metrics.ContractViolation(Http.Destination);
    }
}
