namespace Delivery.Testing;

/// <summary>
/// One request and what the scripted API decided about it: which items (by API-relative index) it rejects. The
/// <see cref="ConformanceOptions.Answer"/> callback turns this into the API's real answer (status, body, headers);
/// every item not in <see cref="Rejections"/> must be answered as accepted.
/// </summary>
public sealed class ApiExchange
{
    /// <summary>Creates an exchange (the kit's and the demo's servers do; so may a unit test of an Answer callback).</summary>
    public ApiExchange(ApiRequest request, IReadOnlyList<string> items, IReadOnlyList<ApiRejection> rejections)
    {
        ArgumentNullException.ThrowIfNull(request);
        ArgumentNullException.ThrowIfNull(items);
        ArgumentNullException.ThrowIfNull(rejections);
        Request = request;
        Items = items;
        Rejections = rejections;
    }

    /// <summary>The request as received.</summary>
    public ApiRequest Request { get; }

    /// <summary>The <c>delivery-event-id</c>s of the events the request carries, in request order.</summary>
    public IReadOnlyList<string> Items { get; }

    /// <summary>The items to reject, ascending by index; empty when the API accepts everything.</summary>
    public IReadOnlyList<ApiRejection> Rejections { get; }

    /// <summary>The rejection of item <paramref name="index"/>, or null when it is accepted.</summary>
    public ApiRejection? RejectionAt(int index) => Rejections.FirstOrDefault(r => r.Index == index);
}
