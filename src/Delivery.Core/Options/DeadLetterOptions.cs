using System.ComponentModel.DataAnnotations;

namespace Delivery.Core.Options;

/// <summary>Dead-letter topic (<c>Delivery:Destinations:{name}:DeadLetter</c>).</summary>
public sealed class DeadLetterOptions
{
    /// <summary>The dead-letter topic. Default <c>{destination}.dlq</c>.</summary>
    public string? Topic { get; set; }

    /// <summary>Longest error message and body kept in headers, in UTF-8 bytes. Default 4096.</summary>
    [Range(64, 1024 * 1024)]
    public int MaxBodyBytes { get; set; } = 4096;

    /// <summary>Times an event may be redriven from the DLQ before <c>dlq redrive</c> refuses it without --force. Default 3.</summary>
    [Range(0, 1000)]
    public int MaxRedrives { get; set; } = 3;
}
