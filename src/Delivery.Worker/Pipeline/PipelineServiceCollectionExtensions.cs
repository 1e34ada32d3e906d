using Delivery.Core;
using Delivery.Core.Options;
using Delivery.Worker.Kafka;
using Delivery.Kafka.Embedded;
using Delivery.Worker.Telemetry;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;
using Polly;
using Polly.Telemetry;

namespace Delivery.Worker.Pipeline;

/// <summary>Registers the Kafka delivery pipelines.</summary>
internal static class PipelineServiceCollectionExtensions
{
    /// <summary>
    /// Registers one hosted pipeline per enabled destination of <c>Delivery:Destinations</c>, the Kafka clients,
    /// the embedded cluster when <c>Delivery:Kafka:Embedded</c> is true, and <see cref="IPipelineStatusSource"/>.
    /// Binds <c>Delivery</c> to <see cref="DeliveryOptions"/> unless it is bound already (call AddDeliveryCore first),
    /// and <c>Delivery:Pipeline</c> to <see cref="PipelineOptions"/>. Also registers the built-in <c>NoOp</c> type.
    /// </summary>
    public static IServiceCollection AddDeliveryPipeline(this IServiceCollection services, IConfiguration configuration)
    {
        ArgumentNullException.ThrowIfNull(services);
        ArgumentNullException.ThrowIfNull(configuration);
        if (services.Any(d => d.ServiceType == typeof(DeliveryPipelineHost)))
        {
            return services;
        }

        if (!services.Any(d => d.ServiceType == typeof(IConfigureOptions<DeliveryOptions>)))
        {
            services.AddOptions<DeliveryOptions>().Bind(configuration.GetSection(DeliveryOptions.SectionName));
        }

        services.AddOptions<PipelineOptions>().Bind(configuration.GetSection(PipelineOptions.SectionName)).ValidateOnStart();
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IValidateOptions<PipelineOptions>, PipelineOptionsValidator>());
        services.TryAddSingleton(TimeProvider.System);
        services.AddMetrics();
        services.TryAddSingleton<DeliveryMetrics>();
        services.TryAddSingleton(sp =>
        {
            var kafka = sp.GetRequiredService<IOptions<DeliveryOptions>>().Value.Kafka;
            return EmbeddedKafkaCluster.Start(Math.Max(1, kafka.EmbeddedBrokers));
        });
        services.TryAddSingleton<KafkaClientFactory>();
        services.TryAddSingleton<TopicProvisioner>();
        AddHandlerResilience(services);
        services.AddSingleton<DeliveryPipelineHost>();
        services.AddSingleton<IPipelineStatusSource>(sp => sp.GetRequiredService<DeliveryPipelineHost>());
        services.AddHostedService(sp => sp.GetRequiredService<DeliveryPipelineHost>());
        services.TryAddKeyedSingleton<IDestinationHandlerFactory, NoOpDestinationHandlerFactory>(NoOpDestinationHandlerFactory.TypeName);
        return services;
    }

    /// <summary>
    /// The keyed handler pipelines of every enabled destination (<see cref="HandlerResilience"/>), added when the
    /// registry is first used (after the options were validated), with their resilience events counted as metrics.
    /// </summary>
    internal static void AddHandlerResilience(IServiceCollection services)
    {
        services.AddOptions<TelemetryOptions>().Configure<DeliveryMetrics>((telemetry, metrics) => telemetry.TelemetryListeners.Add(new ResilienceEventMetrics(metrics)));
        services.AddResiliencePipelines<string>(context =>
        {
            var destinations = context.ServiceProvider.GetRequiredService<IOptions<DeliveryOptions>>().Value.Destinations;
            var tuning = context.ServiceProvider.GetRequiredService<IOptions<PipelineOptions>>().Value;
            var time = context.ServiceProvider.GetRequiredService<TimeProvider>();
            foreach (var (name, destination) in destinations)
            {
                if (destination is not { Enabled: true })
                {
                    continue;
                }

                context.AddResiliencePipeline(HandlerResilience.CallKey(name), (builder, _) =>
                {
                    builder.TimeProvider = time;
                    builder.InstanceName = name;
                    HandlerResilience.ConfigureCall(builder, tuning);
                });
                context.AddResiliencePipeline<HandlerCall>(HandlerResilience.HoldKey(name), (builder, _) =>
                {
                    builder.TimeProvider = time;
                    builder.InstanceName = name;
                    HandlerResilience.ConfigureHold(builder);
                });
            }
        });
    }
}
