using System.Text.Json;
using System.Text.Json.Serialization;

namespace Delivery.Worker.Health;

/// <summary>Source-generated JSON for health reports.</summary>
[JsonSourceGenerationOptions(JsonSerializerDefaults.Web, WriteIndented = false)]
[JsonSerializable(typeof(HealthReport))]
internal sealed partial class HealthJsonContext : JsonSerializerContext;
