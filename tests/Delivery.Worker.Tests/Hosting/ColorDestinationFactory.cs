using System.Collections.Concurrent;
using Delivery.Core;
using Delivery.Core.Events;
using Delivery.Core.MultiStatus;
using Delivery.Core.Options;
using Microsoft.Extensions.Configuration;

namespace Delivery.Worker.Tests.Hosting;

/// <summary>A custom destination type for the builder tests: Settings:Color is required; records what it creates.</summary>
internal sealed class ColorDestinationFactory(IConfiguration configuration) : IDestinationHandlerFactory
{
    public const string TypeName = "Color";

    public ConcurrentQueue<string> Created { get; } = new();

    public IReadOnlyList<string> Validate(string destination, DestinationOptions options)
        => string.IsNullOrWhiteSpace(configuration[$"Delivery:Destinations:{destination}:Settings:Color"])
            ? [$"Delivery:Destinations:{destination}:Settings:Color: is required"]
            : [];

    public IDestinationHandler Create(string destination, DestinationOptions options)
    {
        Created.Enqueue(destination);
        return new AcceptAll();
    }

    private sealed class AcceptAll : IDestinationHandler
    {
        public ValueTask<MultiStatusResponse> SendBatchAsync(DeliveryBatch batch, CancellationToken cancellationToken)
        {
            var response = new MultiStatusResponse(batch.Count);
            for (var i = 0; i < batch.Count; i++)
            {
                response.SetSuccessResponseAtIndex(i, new ActionDestinationSuccessResponse { Status = 200 });
            }

            return ValueTask.FromResult(response);
        }
    }
}
