using System.ComponentModel.DataAnnotations;

namespace Delivery.Core.Options;

/// <summary>HTTP settings shared by every HTTP destination (<c>Delivery:Destinations:{name}:Http</c>).</summary>
public sealed class DestinationHttpOptions
{
    /// <summary>The API's base address (absolute http or https URI). Required for HTTP destination types.</summary>
    public Uri? BaseAddress { get; set; }

    /// <summary>Timeout for one request. Default 10 s.</summary>
    [Range(typeof(TimeSpan), "00:00:00.010", "00:10:00")]
    public TimeSpan Timeout { get; set; } = TimeSpan.FromSeconds(10);

    /// <summary>File holding a bearer token; re-read when it changes (rotated secrets).</summary>
    public string? BearerTokenFile { get; set; }

    /// <summary>Environment variable holding a bearer token (used when no file is set).</summary>
    public string? BearerTokenEnvironmentVariable { get; set; }

    /// <summary>Basic auth user name.</summary>
    public string? BasicAuthUser { get; set; }

    /// <summary>File holding the basic auth password.</summary>
    public string? BasicAuthPasswordFile { get; set; }

    /// <summary>Compress request bodies with gzip. Default false.</summary>
    public bool GzipRequests { get; set; }

    /// <summary>Largest response body read; a larger one is a retryable MALFORMED_RESPONSE. Default 1 MiB.</summary>
    [Range(1024, 256 * 1024 * 1024)]
    public int MaxResponseBytes { get; set; } = 1024 * 1024;
}
