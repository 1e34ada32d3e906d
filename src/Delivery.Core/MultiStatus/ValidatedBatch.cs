namespace Delivery.Core.MultiStatus;

/// <summary>
/// The pre-validation pattern of the MultiStatus docs, without hand-rolled index bookkeeping: invalid items get a
/// 400 <see cref="ErrorCodes.PayloadValidationFailed"/> at their original index, the valid ones are kept in order
/// with a filtered→original index map, and results for the filtered list are written back at original indices.
/// </summary>
/// <typeparam name="T">The item type.</typeparam>
public sealed class ValidatedBatch<T>
{
    private readonly int[] _originalIndices;
    private readonly MultiStatusResponse _response;

    internal ValidatedBatch(List<T> valid, int[] originalIndices, MultiStatusResponse response)
    {
        Valid = valid;
        _originalIndices = originalIndices;
        _response = response;
    }

    /// <summary>The items that passed validation, in their original order: the list to send.</summary>
    public IReadOnlyList<T> Valid { get; }

    /// <summary>The response being filled, indexed like the original list.</summary>
    public MultiStatusResponse Response => _response;

    /// <summary>The original index of item <paramref name="filteredIndex"/> of <see cref="Valid"/>.</summary>
    public int ToOriginalIndex(int filteredIndex)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(filteredIndex);
        ArgumentOutOfRangeException.ThrowIfGreaterThanOrEqual(filteredIndex, _originalIndices.Length);
        return _originalIndices[filteredIndex];
    }

    /// <summary>True when <paramref name="filteredIndex"/> names an item of <see cref="Valid"/>.</summary>
    public bool ContainsFilteredIndex(int filteredIndex) => filteredIndex >= 0 && filteredIndex < _originalIndices.Length;

    /// <summary>Sets a success for every valid item (pattern 1: mark all, then overwrite reported errors).</summary>
    public void SetAllValidSuccess(Func<int, ActionDestinationSuccessResponse> success)
    {
        ArgumentNullException.ThrowIfNull(success);
        for (var i = 0; i < _originalIndices.Length; i++)
        {
            _response.SetSuccessResponseAtIndex(_originalIndices[i], success(i));
        }
    }

    /// <summary>Sets the verdict on filtered item <paramref name="filteredIndex"/> at its original index.</summary>
    public void SetSuccessResponseAtFilteredIndex(int filteredIndex, ActionDestinationSuccessResponse response)
        => _response.SetSuccessResponseAtIndex(ToOriginalIndex(filteredIndex), response);

    /// <summary>Sets the verdict on filtered item <paramref name="filteredIndex"/> at its original index.</summary>
    public void SetErrorResponseAtFilteredIndex(int filteredIndex, ActionDestinationErrorResponse response)
        => _response.SetErrorResponseAtIndex(ToOriginalIndex(filteredIndex), response);
}
