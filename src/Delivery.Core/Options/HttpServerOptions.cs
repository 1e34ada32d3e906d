using System.ComponentModel.DataAnnotations;

namespace Delivery.Core.Options;

/// <summary>The worker's own HTTP endpoint: /healthz, /readyz, /metrics (<c>Delivery:Http</c>).</summary>
public sealed class HttpServerOptions
{
    /// <summary>Port to listen on (all interfaces). 0 disables the endpoint. Default 8080.</summary>
    [Range(0, 65535)]
    public int Port { get; set; } = 8080;
}
