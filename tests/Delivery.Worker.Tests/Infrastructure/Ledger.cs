using System.Text.Json;
using Confluent.Kafka;
using Delivery.Worker.Kafka;
using Xunit.Abstractions;

namespace Delivery.Worker.Tests.Infrastructure;

/// <summary>
/// Where every event ended: delivered (the destination accepted it) or dead-lettered (a DLQ record), with duplicates
/// counted. Printed to the test output and written to <c>artifacts/ledger-{name}.json</c>.
/// </summary>
internal sealed record Ledger(string Name, int Events, int Delivered, int DeadLettered, int Missing, int InBoth, int DuplicateDeliveries, int DuplicateDeadLetters)
{
    private static readonly JsonSerializerOptions Indented = new() { WriteIndented = true };

    public static Ledger Compute(string name, IReadOnlyCollection<string> expected, IEnumerable<string> deliveries, IEnumerable<ConsumeResult<byte[], byte[]>> deadLetters)
    {
        var delivered = deliveries.ToList();
        var dead = deadLetters.Select(r => DeliveryHeaderCodec.GetString(r.Message.Headers, DeliveryHeaders.EventId) ?? "?").ToList();
        var deliveredSet = delivered.ToHashSet(StringComparer.Ordinal);
        var deadSet = dead.ToHashSet(StringComparer.Ordinal);
        var missing = expected.Count(id => !deliveredSet.Contains(id) && !deadSet.Contains(id));
        var both = deliveredSet.Count(deadSet.Contains);
        return new Ledger(name, expected.Count, deliveredSet.Count, deadSet.Count, missing, both, delivered.Count - deliveredSet.Count, dead.Count - deadSet.Count);
    }

    public void Report(ITestOutputHelper output)
    {
        output.WriteLine($"LEDGER {Name}: events={Events} delivered={Delivered} dead-lettered={DeadLettered} missing={Missing} in-both={InBoth} duplicate-deliveries={DuplicateDeliveries} duplicate-dead-letters={DuplicateDeadLetters}");
        try
        {
            var dir = ArtifactsDirectory();
            Directory.CreateDirectory(dir);
            File.WriteAllText(Path.Combine(dir, $"ledger-{Name}.json"), JsonSerializer.Serialize(this, Indented));
        }
        catch (IOException e)
        {
            output.WriteLine($"could not write the ledger artifact: {e.Message}");
        }
    }

    private static string ArtifactsDirectory()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "Delivery.sln")))
            {
                return Path.Combine(dir.FullName, "artifacts");
            }
        }

        return Path.Combine(AppContext.BaseDirectory, "artifacts");
    }
}
