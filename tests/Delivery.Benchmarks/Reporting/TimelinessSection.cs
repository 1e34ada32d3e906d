namespace Delivery.Benchmarks.Reporting;

/// <summary>The README section of the timeliness scenario.</summary>
internal static class TimelinessSection
{
    public static void Write(System.Text.Json.Nodes.JsonObject scenarios, Action<string> line)
    {
        if (scenarios["timeliness"] is not System.Text.Json.Nodes.JsonObject t)
        {
            return;
        }

        line("## Timeliness");
        line("");
        line($"{t["destination"]}; capacity C × B / L = {t["capacityEventsPerSecond"]} events/s.");
        line("");
        line("| figure | events | p50 | p90 | p99 | max |");
        line("|---|---|---|---|---|---|");
        if (t["latency"] is System.Text.Json.Nodes.JsonObject l)
        {
            line($"| end-to-end latency at {l["eventsPerSecond"]} events/s (ms) | {l["events"]} | {l["p50Ms"]} | {l["p90Ms"]} | {l["p99Ms"]} | {l["maxMs"]} |");
        }

        if (t["retryLateness"] is System.Text.Json.Nodes.JsonObject r)
        {
            line($"| retry lateness after the due time, tier delay {r["tierDelayMs"]} ms (ms) | {r["samples"]} | {r["p50Ms"]} | {r["p90Ms"]} | {r["p99Ms"]} | {r["maxMs"]} |");
        }

        line("");
        if (t["outage"] is System.Text.Json.Nodes.JsonObject o)
        {
            line($"Outage of {o["outageSeconds"]} s at {o["eventsPerSecond"]} events/s: backlog {o["backlogEvents"]} events, drained in {o["drainSeconds"]} s (ideal {o["idealDrainSeconds"]} s at full capacity).");
            line("");
        }
    }
}
