namespace Delivery.Core.MultiStatus;

/// <summary>
/// The per-event answer of a handler: slot <c>i</c> is the verdict on event <c>i</c> of the batch.
/// Mirrors Segment's <c>MultiStatusResponse</c>, minus its defects: negative indices throw, snapshots are copies,
/// and a success must be 2xx while an error must not be.
/// </summary>
public sealed class MultiStatusResponse
{
    private readonly List<ActionDestinationResponse?> _responses;

    /// <summary>Creates an empty response.</summary>
    public MultiStatusResponse() => _responses = [];

    /// <summary>Creates an empty response with room for <paramref name="capacity"/> slots.</summary>
    public MultiStatusResponse(int capacity) => _responses = new List<ActionDestinationResponse?>(capacity);

    /// <summary>Number of slots, including unset slots below the highest set index.</summary>
    public int Length => _responses.Count;

    /// <summary>Number of success slots.</summary>
    public int SuccessCount { get; private set; }

    /// <summary>Number of error slots.</summary>
    public int ErrorCount { get; private set; }

    /// <summary>Appends a response after the highest slot.</summary>
    public void PushResponseObject(ActionDestinationResponse response)
    {
        Validate(response);
        _responses.Add(response);
        Count(response, +1);
    }

    /// <summary>Appends a success after the highest slot.</summary>
    public void PushSuccessResponse(ActionDestinationSuccessResponse response) => PushResponseObject(response);

    /// <summary>Appends an error after the highest slot.</summary>
    public void PushErrorResponse(ActionDestinationErrorResponse response) => PushResponseObject(response);

    /// <summary>Sets slot <paramref name="index"/>, growing the list (with unset slots) when it is beyond the end.</summary>
    public void PushResponseObjectAtIndex(int index, ActionDestinationResponse response)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(index);
        Validate(response);
        while (_responses.Count <= index)
        {
            _responses.Add(null);
        }

        Count(_responses[index], -1);
        _responses[index] = response;
        Count(response, +1);
    }

    /// <summary>Sets slot <paramref name="index"/> to a success.</summary>
    public void SetSuccessResponseAtIndex(int index, ActionDestinationSuccessResponse response) => PushResponseObjectAtIndex(index, response);

    /// <summary>Sets slot <paramref name="index"/> to an error.</summary>
    public void SetErrorResponseAtIndex(int index, ActionDestinationErrorResponse response) => PushResponseObjectAtIndex(index, response);

    /// <summary>Clears slot <paramref name="index"/>; <see cref="Length"/> does not shrink. Out of range is a no-op.</summary>
    public void UnsetResponseAtIndex(int index)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(index);
        if (index >= _responses.Count)
        {
            return;
        }

        Count(_responses[index], -1);
        _responses[index] = null;
    }

    /// <summary>True when slot <paramref name="index"/> holds a success.</summary>
    public bool IsSuccessResponseAtIndex(int index) => GetResponseAtIndex(index) is ActionDestinationSuccessResponse;

    /// <summary>True when slot <paramref name="index"/> holds an error.</summary>
    public bool IsErrorResponseAtIndex(int index) => GetResponseAtIndex(index) is ActionDestinationErrorResponse;

    /// <summary>The response in slot <paramref name="index"/>; null when unset or out of range.</summary>
    public ActionDestinationResponse? GetResponseAtIndex(int index)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(index);
        return index < _responses.Count ? _responses[index] : null;
    }

    /// <summary>A snapshot of every slot (unset slots are null); later changes do not affect it.</summary>
    public IReadOnlyList<ActionDestinationResponse?> GetAllResponses() => _responses.ToArray();

    private static void Validate(ActionDestinationResponse response)
    {
        ArgumentNullException.ThrowIfNull(response);
        switch (response)
        {
            case ActionDestinationSuccessResponse when !ActionDestinationResponse.IsSuccessStatus(response.Status):
                throw new ArgumentException($"A success response must have a 2xx status, not {response.Status}.", nameof(response));
            case ActionDestinationErrorResponse when ActionDestinationResponse.IsSuccessStatus(response.Status):
                throw new ArgumentException($"An error response must not have a 2xx status ({response.Status}).", nameof(response));
            case ActionDestinationErrorResponse error when error.ErrorMessage is null:
                throw new ArgumentException("An error response needs an ErrorMessage.", nameof(response));
        }
    }

    private void Count(ActionDestinationResponse? response, int delta)
    {
        switch (response)
        {
            case ActionDestinationSuccessResponse:
                SuccessCount += delta;
                break;
            case ActionDestinationErrorResponse:
                ErrorCount += delta;
                break;
        }
    }
}
