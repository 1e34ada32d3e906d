namespace Acme.Contacts;

/// <summary>Settings of an <c>AcmeContacts</c> destination (<c>Delivery:Destinations:{name}:Settings</c>).</summary>
public sealed class AcmeContactsSettings
{
    /// <summary>Required. The contact list to upsert into (letters, digits, <c>-</c> and <c>_</c>).</summary>
    public string ListId { get; set; } = string.Empty;

    /// <summary>Problems as (key relative to <c>Settings</c>, problem).</summary>
    public IEnumerable<(string Key, string Problem)> Validate()
    {
        if (string.IsNullOrWhiteSpace(ListId))
        {
            yield return (nameof(ListId), "is required");
        }
        else if (!ListId.All(c => char.IsAsciiLetterOrDigit(c) || c is '-' or '_'))
        {
            yield return (nameof(ListId), "may hold only letters, digits, '-' and '_'");
        }
    }
}
