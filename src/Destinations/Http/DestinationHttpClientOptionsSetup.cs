using System.Net;
using Microsoft.Extensions.Http;
using Microsoft.Extensions.Options;

namespace Delivery.Destinations.Http;

/// <summary>
/// Configures only the destinations' named HTTP clients (<see cref="DestinationHttpClient.ClientNamePrefix"/>):
/// no client-level timeout (the plumbing applies <c>Http.Timeout</c> itself), no redirects, no cookies,
/// transparent response decompression (the size cap applies to the decompressed body).
/// </summary>
internal sealed class DestinationHttpClientOptionsSetup : IConfigureNamedOptions<HttpClientFactoryOptions>
{
    public void Configure(string? name, HttpClientFactoryOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        if (name is null || !name.StartsWith(DestinationHttpClient.ClientNamePrefix, StringComparison.Ordinal))
        {
            return;
        }

        options.HttpClientActions.Add(client => client.Timeout = Timeout.InfiniteTimeSpan);
        options.HttpMessageHandlerBuilderActions.Add(builder => builder.PrimaryHandler = new SocketsHttpHandler
        {
            AllowAutoRedirect = false,
            UseCookies = false,
            AutomaticDecompression = DecompressionMethods.All,
            ConnectTimeout = TimeSpan.FromSeconds(10),
        });
    }

    public void Configure(HttpClientFactoryOptions options) => Configure(Options.DefaultName, options);
}
