using System.Globalization;
using Spectre.Console;

namespace Delivery.Worker.Demo;

/// <summary>Shows the demo's numbers: a live Spectre.Console table in a terminal, plain lines otherwise.</summary>
internal static class DemoView
{
    /// <summary>Plain progress lines are written this often without a terminal.</summary>
    public static readonly TimeSpan PlainInterval = TimeSpan.FromSeconds(5);

    /// <summary>The live table for one snapshot.</summary>
    public static Table Table(DemoSnapshot s)
    {
        ArgumentNullException.ThrowIfNull(s);
        var table = new Table().Border(TableBorder.Rounded).Title("delivery-worker demo").AddColumn("metric").AddColumn(new TableColumn("value").RightAligned());
        Row(table, "elapsed", s.Elapsed.ToString(@"hh\:mm\:ss", CultureInfo.InvariantCulture));
        Row(table, "pipeline", s.State);
        Row(table, "produced", s.Produced);
        Row(table, "consumed", s.Consumed);
        Row(table, "[green]delivered[/]", s.Delivered, markup: true);
        foreach (var (tier, count) in s.RetriedByTier)
        {
            Row(table, $"[yellow]retried, tier {tier}[/]", count, markup: true);
        }

        if (s.RetriedByTier.Count == 0)
        {
            Row(table, "[yellow]retried[/]", 0, markup: true);
        }

        Row(table, "held", s.Held);
        Row(table, "[red]dead-lettered[/]", s.DeadLettered, markup: true);
        Row(table, "in flight", s.InFlight);
        Row(table, "lag", s.Lag);
        Row(table, "events/s", s.EventsPerSecond.ToString("0", CultureInfo.InvariantCulture));
        return table;
    }

    /// <summary>One plain progress line.</summary>
    public static string Line(DemoSnapshot s)
    {
        ArgumentNullException.ThrowIfNull(s);
        var tiers = string.Join(" ", s.RetriedByTier.Select(static t => $"t{t.Key}={t.Value}"));
        return string.Create(
            CultureInfo.InvariantCulture,
            $"[{s.Elapsed:hh\\:mm\\:ss}] {s.State} produced={s.Produced} consumed={s.Consumed} delivered={s.Delivered} retried={s.RetriedByTier.Values.Sum()}{(tiers.Length > 0 ? $" ({tiers})" : string.Empty)} held={s.Held} dead-lettered={s.DeadLettered} in-flight={s.InFlight} lag={s.Lag} events/s={s.EventsPerSecond:0}");
    }

    private static void Row(Table table, string name, long value, bool markup = false) =>
        Row(table, name, value.ToString("N0", CultureInfo.InvariantCulture), markup);

    private static void Row(Table table, string name, string value, bool markup = false) =>
        table.AddRow(markup ? new Markup(name) : new Text(name), new Text(value));
}
