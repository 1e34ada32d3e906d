using System.Text.Json;
using System.Text.Json.Nodes;

namespace Delivery.Testing.Tests.BuiltIn;

/// <summary>How the APIs behind the four built-in destination types answer, written as the kit's Answer callbacks.</summary>
internal static class BuiltInApis
{
    /// <summary>The MultiStatus docs' API: 200 when all is well, else 207 with errorResponses by request index.</summary>
    public static ApiAnswer HttpBatch(ApiExchange exchange)
    {
        if (exchange.Rejections.Count == 0)
        {
            return ApiAnswer.Json(200, new JsonObject { ["itemsProcessed"] = exchange.Items.Count });
        }

        var errors = new JsonArray();
        foreach (var rejection in exchange.Rejections)
        {
            errors.Add(new JsonObject { ["status"] = rejection.Status, ["message"] = rejection.Message, ["index"] = rejection.Index });
        }

        return ApiAnswer.Json(207, new JsonObject
        {
            ["itemsProcessed"] = exchange.Items.Count,
            ["success"] = exchange.Items.Count - exchange.Rejections.Count,
            ["error"] = exchange.Rejections.Count,
            ["errorResponses"] = errors,
        });
    }

    /// <summary>Nakadi: 200 with no body; a validation failure is a 422 listing every item, the others aborted.</summary>
    public static ApiAnswer Nakadi(ApiExchange exchange)
    {
        if (exchange.Rejections.Count == 0)
        {
            return ApiAnswer.Empty(200);
        }

        var sent = JsonNode.Parse(exchange.Request.BodyText)!.AsArray();
        var items = new JsonArray();
        for (var i = 0; i < sent.Count; i++)
        {
            var rejection = exchange.RejectionAt(i);
            items.Add(new JsonObject
            {
                ["eid"] = sent[i]!["metadata"]!["eid"]!.GetValue<string>(),
                ["publishing_status"] = rejection is null ? "aborted" : "failed",
                ["step"] = rejection is null ? "none" : "validating",
                ["detail"] = rejection?.Message ?? string.Empty,
            });
        }

        return ApiAnswer.Json(422, items);
    }

    /// <summary>Elasticsearch _bulk: always 200; errors:true and a status per item when any item failed.</summary>
    public static ApiAnswer Elasticsearch(ApiExchange exchange)
    {
        var items = new JsonArray();
        for (var i = 0; i < exchange.Items.Count; i++)
        {
            var rejection = exchange.RejectionAt(i);
            var result = new JsonObject { ["_index"] = "conformance", ["_id"] = exchange.Items[i], ["status"] = rejection?.Status ?? 201 };
            if (rejection is not null)
            {
                result["error"] = new JsonObject { ["type"] = "mapper_parsing_exception", ["reason"] = rejection.Message };
            }

            items.Add(new JsonObject { ["index"] = result });
        }

        return ApiAnswer.Json(200, new JsonObject { ["took"] = 1, ["errors"] = exchange.Rejections.Count > 0, ["items"] = items });
    }

    /// <summary>A webhook: one event per request, its status is the verdict.</summary>
    public static ApiAnswer Webhook(ApiExchange exchange)
        => exchange.Rejections.Count == 0
            ? ApiAnswer.Empty(204)
            : new ApiAnswer(exchange.Rejections[0].Status, JsonSerializer.Serialize(new { error = exchange.Rejections[0].Message }));

    /// <summary>An event none of the built-in types accepts with RequireAnyOf email/phone set.</summary>
    public static string WithoutContact(int index, string eventId) => $"{{\"id\":\"{eventId}\",\"n\":{index}}}";

    public static readonly Dictionary<string, string?> RequireContact = new()
    {
        ["Settings:RequireAnyOf:0"] = "$.email",
        ["Settings:RequireAnyOf:1"] = "$.phone",
    };
}
