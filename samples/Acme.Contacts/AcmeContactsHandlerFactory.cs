using Delivery.Core;
using Delivery.Core.Options;
using Microsoft.Extensions.Configuration;

namespace Acme.Contacts;

/// <summary>
/// Creates <see cref="AcmeContactsHandler"/>s for destinations of type <c>AcmeContacts</c>. Takes the destination's
/// <c>Http</c> options (BaseAddress, Timeout) from the validated options the host hands it and binds its own
/// <c>Settings</c> (ListId) from <c>Delivery:Destinations:{name}:Settings</c>.
/// </summary>
public sealed class AcmeContactsHandlerFactory : IDestinationHandlerFactory
{
    /// <summary>The configuration <c>Type</c> value.</summary>
    public const string TypeName = "AcmeContacts";

    private readonly IConfiguration _configuration;
    private readonly IHttpClientFactory _clients;
    private readonly TimeProvider _time;

    /// <summary>Created by the host's service provider.</summary>
    public AcmeContactsHandlerFactory(IConfiguration configuration, IHttpClientFactory clients, TimeProvider time)
    {
        ArgumentNullException.ThrowIfNull(configuration);
        ArgumentNullException.ThrowIfNull(clients);
        ArgumentNullException.ThrowIfNull(time);
        _configuration = configuration;
        _clients = clients;
        _time = time;
    }

    /// <inheritdoc />
    public Type? SettingsType => typeof(AcmeContactsSettings);

    /// <inheritdoc />
    public IReadOnlyList<string> Validate(string destination, DestinationOptions options) => Bind(destination, options).Problems;

    /// <inheritdoc />
    public IDestinationHandler Create(string destination, DestinationOptions options)
    {
        var (problems, http, settings) = Bind(destination, options);
        if (problems.Count > 0)
        {
            throw new InvalidOperationException(string.Join(Environment.NewLine, problems));
        }

        var client = _clients.CreateClient($"acme-contacts-{destination}");
        client.BaseAddress = http.BaseAddress;
        client.Timeout = http.Timeout;
        return new AcmeContactsHandler(client, settings, _time);
    }

    private (List<string> Problems, DestinationHttpOptions Http, AcmeContactsSettings Settings) Bind(string destination, DestinationOptions options)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(destination);
        ArgumentNullException.ThrowIfNull(options);
        var prefix = $"{DeliveryOptions.SectionName}:Destinations:{destination}";
        var section = _configuration.GetSection(prefix);
        var http = options.Http ?? new DestinationHttpOptions();
        var settings = section.GetSection("Settings").Get<AcmeContactsSettings>() ?? new AcmeContactsSettings();
        var problems = new List<string>();
        if (http.BaseAddress is not { IsAbsoluteUri: true } address || (address.Scheme != Uri.UriSchemeHttp && address.Scheme != Uri.UriSchemeHttps))
        {
            problems.Add($"{prefix}:Http:BaseAddress: is required (an absolute http or https address)");
        }
        else if (!address.AbsolutePath.EndsWith('/'))
        {
            problems.Add($"{prefix}:Http:BaseAddress: must end with '/'");
        }

        if (http.Timeout <= TimeSpan.Zero || http.Timeout > TimeSpan.FromMinutes(10))
        {
            problems.Add($"{prefix}:Http:Timeout: must be more than 0 and at most 00:10:00");
        }

        problems.AddRange(settings.Validate().Select(p => $"{prefix}:Settings:{p.Key}: {p.Problem}"));
        return (problems, http, settings);
    }
}
