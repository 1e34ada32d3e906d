using System.Text.Json.Nodes;
using Delivery.Testing;
using Delivery.Worker;

namespace Acme.Contacts.Worker;

/// <summary>
/// How the Acme Contacts bulk API answers (200, or 207 listing the failed positions), written once for the
/// conformance kit (the tests) and the demo API (<c>acme-contacts-worker demo</c>).
/// </summary>
internal static class AcmeContactsApi
{
    /// <summary>What <c>demo</c> needs: the answer, the destination's settings, contacts with an email.</summary>
    public static readonly DestinationDemo Demo = new()
    {
        Answer = Answer,
        Settings = new Dictionary<string, string?> { ["Settings:ListId"] = "demo" },
        Event = (n, id) => $"{{\"id\":\"{id}\",\"email\":\"customer{n % 97}@example.com\",\"name\":\"Customer {n % 97}\"}}",
    };

    public static ApiAnswer Answer(ApiExchange exchange)
    {
        if (exchange.Rejections.Count == 0)
        {
            return ApiAnswer.Json(200, new JsonObject { ["processed"] = exchange.Items.Count });
        }

        var failed = new JsonArray();
        foreach (var rejection in exchange.Rejections)
        {
            failed.Add(new JsonObject { ["position"] = rejection.Index, ["status"] = rejection.Status, ["error"] = rejection.Message });
        }

        return ApiAnswer.Json(207, new JsonObject { ["processed"] = exchange.Items.Count, ["failed"] = failed });
    }

    /// <summary>A contact with neither email nor phone: the handler must reject it without sending it.</summary>
    public static string ContactWithoutEmailOrPhone(int index, string eventId) => $"{{\"id\":\"{eventId}\",\"name\":\"contact {index}\"}}";
}
