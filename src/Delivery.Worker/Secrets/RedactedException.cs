namespace Delivery.Worker.Secrets;

/// <summary>Stands in for a handler exception whose message held a secret; the message is redacted and names the original type.</summary>
internal sealed class RedactedException : Exception
{
    public RedactedException(string originalType, string message, Exception? innerException)
        : base($"{originalType}: {message}", innerException)
    {
    }

    public RedactedException()
    {
    }

    public RedactedException(string message)
        : base(message)
    {
    }

    public RedactedException(string message, Exception innerException)
        : base(message, innerException)
    {
    }
}
