using System.Text.Json.Nodes;
using Delivery.Testing;

namespace Acme.Contacts.Tests;

/// <summary>How the Acme Contacts bulk API answers, for the conformance kit: 200, or 207 listing failed positions.</summary>
internal static class AcmeApi
{
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
