using Delivery.Core;
using Delivery.Core.Options;
using Delivery.Destinations.Http;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Logging;

namespace Delivery.Destinations;

/// <summary>
/// The common part of every HTTP destination type's factory: binds <see cref="DestinationOptions"/> from
/// <c>Delivery:Destinations:{destination}</c> and <typeparamref name="TSettings"/> from its <c>Settings</c> section,
/// validates both (one line per problem, naming the full key) and creates the handler with its HTTP plumbing.
/// </summary>
/// <typeparam name="TSettings">The type's settings class.</typeparam>
internal abstract class DestinationHandlerFactory<TSettings> : IDestinationHandlerFactory
    where TSettings : class, new()
{
    private readonly IConfiguration _configuration;
    private readonly IHttpClientFactory _clients;
    private readonly TimeProvider _time;

    protected DestinationHandlerFactory(
        IConfiguration configuration,
        IHttpClientFactory clients,
        ILoggerFactory loggers,
        TimeProvider time,
        DestinationMetrics metrics)
    {
        ArgumentNullException.ThrowIfNull(configuration);
        ArgumentNullException.ThrowIfNull(clients);
        ArgumentNullException.ThrowIfNull(loggers);
        ArgumentNullException.ThrowIfNull(time);
        ArgumentNullException.ThrowIfNull(metrics);
        _configuration = configuration;
        _clients = clients;
        _time = time;
        Loggers = loggers;
        Metrics = metrics;
    }

    /// <summary>Creates loggers for handlers.</summary>
    protected ILoggerFactory Loggers { get; }

    /// <summary>Destination instruments.</summary>
    protected DestinationMetrics Metrics { get; }

    /// <inheritdoc />
    public Type SettingsType => typeof(TSettings);

    /// <inheritdoc />
    public IReadOnlyList<string> Validate(string destination) => Bind(destination).Problems;

    /// <inheritdoc />
    public IDestinationHandler Create(string destination)
    {
        var (problems, options, settings) = Bind(destination);
        if (problems.Count > 0)
        {
            throw new InvalidOperationException(string.Join(Environment.NewLine, problems));
        }

        var http = new DestinationHttpClient(destination, options.Http, _clients, _time);
        return CreateHandler(http, settings);
    }

    /// <summary>Problems of <paramref name="settings"/>: (key relative to <c>Settings</c>, problem).</summary>
    protected abstract IEnumerable<(string Key, string Problem)> ValidateSettings(TSettings settings);

    /// <summary>Creates the handler from valid options.</summary>
    protected abstract IDestinationHandler CreateHandler(DestinationHttpClient http, TSettings settings);

    private (List<string> Problems, DestinationOptions Options, TSettings Settings) Bind(string destination)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(destination);
        var prefix = $"Delivery:Destinations:{destination}";
        var problems = new List<string>();
        var section = _configuration.GetSection(prefix);
        var options = new DestinationOptions();
        try
        {
            section.Bind(options);
        }
        catch (InvalidOperationException ex)
        {
            problems.Add($"{prefix}: {ex.Message}");
        }

        var settings = new TSettings();
        try
        {
            section.GetSection("Settings").Bind(settings);
        }
        catch (InvalidOperationException ex)
        {
            problems.Add($"{prefix}:Settings: {ex.Message}");
        }

        foreach (var (key, problem) in ValidateHttp(options.Http))
        {
            problems.Add($"{prefix}:Http:{key}: {problem}");
        }

        foreach (var (key, problem) in ValidateSettings(settings))
        {
            problems.Add($"{prefix}:Settings:{key}: {problem}");
        }

        return (problems, options, settings);
    }

    private static IEnumerable<(string Key, string Problem)> ValidateHttp(DestinationHttpOptions http)
    {
        if (http.BaseAddress is null)
        {
            yield return ("BaseAddress", "is required");
        }
        else if (!http.BaseAddress.IsAbsoluteUri || (http.BaseAddress.Scheme != Uri.UriSchemeHttp && http.BaseAddress.Scheme != Uri.UriSchemeHttps))
        {
            yield return ("BaseAddress", "must be an absolute http or https address");
        }

        if (http.Timeout <= TimeSpan.Zero || http.Timeout > TimeSpan.FromMinutes(10))
        {
            yield return ("Timeout", "must be more than 0 and at most 00:10:00");
        }

        if (http.MaxResponseBytes < 1024)
        {
            yield return ("MaxResponseBytes", "must be at least 1024");
        }

        var bearer = !string.IsNullOrWhiteSpace(http.BearerTokenFile) || !string.IsNullOrWhiteSpace(http.BearerTokenEnvironmentVariable);
        if (bearer && !string.IsNullOrWhiteSpace(http.BasicAuthUser))
        {
            yield return ("BasicAuthUser", "cannot be combined with a bearer token (BearerTokenFile or BearerTokenEnvironmentVariable)");
        }

        if (!string.IsNullOrWhiteSpace(http.BasicAuthPasswordFile) && string.IsNullOrWhiteSpace(http.BasicAuthUser))
        {
            yield return ("BasicAuthUser", "is required when BasicAuthPasswordFile is set");
        }
    }
}
