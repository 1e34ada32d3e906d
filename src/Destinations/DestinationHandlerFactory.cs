using Delivery.Core;
using Delivery.Core.Options;
using Delivery.Destinations.Http;
using Delivery.Destinations.Validation;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Logging;

namespace Delivery.Destinations;

/// <summary>
/// The factory of every HTTP destination type. It receives the destination's common options already bound and
/// validated by the host (<see cref="DeliveryOptionsValidator"/> checks <c>Http</c> once, for every destination), binds
/// only <typeparamref name="TSettings"/> from the destination's <c>Settings</c> section, checks what belongs to the
/// type (an HTTP type needs <c>Http:BaseAddress</c>; the settings rules), one line per problem naming the full key,
/// and creates the handler with its HTTP plumbing.
/// </summary>
/// <typeparam name="TSettings">The type's settings class.</typeparam>
internal sealed class DestinationHandlerFactory<TSettings> : IDestinationHandlerFactory
    where TSettings : class, IDestinationSettings, new()
{
    private readonly IConfiguration _configuration;
    private readonly IHttpClientFactory _clients;
    private readonly ILogger _logger;
    private readonly TimeProvider _time;
    private readonly DestinationMetrics _metrics;
    private readonly Func<HandlerContext<TSettings>, IDestinationHandler> _create;

    public DestinationHandlerFactory(
        IConfiguration configuration,
        IHttpClientFactory clients,
        ILogger logger,
        TimeProvider time,
        DestinationMetrics metrics,
        Func<HandlerContext<TSettings>, IDestinationHandler> create)
    {
        ArgumentNullException.ThrowIfNull(configuration);
        ArgumentNullException.ThrowIfNull(clients);
        ArgumentNullException.ThrowIfNull(logger);
        ArgumentNullException.ThrowIfNull(time);
        ArgumentNullException.ThrowIfNull(metrics);
        ArgumentNullException.ThrowIfNull(create);
        _configuration = configuration;
        _clients = clients;
        _logger = logger;
        _time = time;
        _metrics = metrics;
        _create = create;
    }

    /// <inheritdoc />
    public IReadOnlyList<string> Validate(string destination, DestinationOptions options) => Bind(destination, options).Problems;

    /// <inheritdoc />
    public Type SettingsType => typeof(TSettings);

    /// <inheritdoc />
    public IDestinationHandler Create(string destination, DestinationOptions options)
    {
        var (problems, settings) = Bind(destination, options);
        if (problems.Count > 0)
        {
            throw new InvalidOperationException(string.Join(Environment.NewLine, problems));
        }

        var http = new DestinationHttpClient(destination, options.Http, _clients, _time);
        return _create(new HandlerContext<TSettings>(http, settings, _logger, _metrics));
    }

    private (List<string> Problems, TSettings Settings) Bind(string destination, DestinationOptions options)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(destination);
        ArgumentNullException.ThrowIfNull(options);
        var prefix = $"{DeliveryOptions.SectionName}:Destinations:{destination}";
        var problems = new List<string>();

        // The shape of Http (absolute http/https address, timeout, auth combinations…) is the host validator's;
        // that an address is needed at all is this type's.
        if (options.Http?.BaseAddress is null)
        {
            problems.Add($"{prefix}:Http:BaseAddress: is required");
        }

        var settings = new TSettings();
        try
        {
            _configuration.GetSection($"{prefix}:Settings").Bind(settings);
        }
        catch (InvalidOperationException ex)
        {
            problems.Add($"{prefix}:Settings: {ex.Message}");
        }

        foreach (var (key, problem) in settings.Validate()
            .Concat(SettingsValidation.RelativePath(nameof(settings.Path), settings.Path))
            .Concat(SettingsValidation.RequireAnyOf(settings.RequireAnyOf)))
        {
            problems.Add($"{prefix}:Settings:{key}: {problem}");
        }

        return (problems, settings);
    }
}
