namespace Delivery.Destinations.Http;

/// <summary>A response body read under the <c>MaxResponseBytes</c> cap.</summary>
/// <param name="Bytes">The body, or null when it was larger than the cap (reading stopped there).</param>
internal readonly record struct ResponseBody(byte[]? Bytes)
{
    /// <summary>True when the body exceeded the cap.</summary>
    public bool IsTooLarge => Bytes is null;
}
