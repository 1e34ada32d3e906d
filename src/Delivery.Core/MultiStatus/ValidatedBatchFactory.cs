namespace Delivery.Core.MultiStatus;

/// <summary>Creates <see cref="ValidatedBatch{T}"/> instances.</summary>
public static class ValidatedBatch
{
    /// <summary>
    /// Validates <paramref name="items"/>: <paramref name="validate"/> returns null for a valid item or the reason it
    /// is invalid. Invalid items are recorded in <paramref name="response"/> at their original index.
    /// </summary>
    public static ValidatedBatch<T> Create<T>(IReadOnlyList<T> items, MultiStatusResponse response, Func<T, string?> validate)
    {
        ArgumentNullException.ThrowIfNull(items);
        ArgumentNullException.ThrowIfNull(response);
        ArgumentNullException.ThrowIfNull(validate);
        var valid = new List<T>(items.Count);
        var map = new List<int>(items.Count);
        for (var i = 0; i < items.Count; i++)
        {
            var reason = validate(items[i]);
            if (reason is null)
            {
                valid.Add(items[i]);
                map.Add(i);
            }
            else
            {
                response.SetErrorResponseAtIndex(i, new ActionDestinationErrorResponse
                {
                    Status = 400,
                    ErrorType = ErrorCodes.PayloadValidationFailed,
                    ErrorMessage = reason,
                });
            }
        }

        return new ValidatedBatch<T>(valid, [.. map], response);
    }
}
