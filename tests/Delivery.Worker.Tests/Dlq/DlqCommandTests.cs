using System.Text;
using System.Text.Json;
using Delivery.Core.Outcomes;
using Delivery.Worker.Kafka;

namespace Delivery.Worker.Tests.Dlq;

public sealed class DlqCommandTests
{
    private static readonly DateTimeOffset T0 = new(2026, 11, 1, 12, 0, 0, TimeSpan.Zero);

    [Fact]
    public async Task Inspect_Json_CountsByReasonStatusAndErrorType()
    {
        using var dlq = await DlqFixture.CreateAsync();
        await dlq.DeadLetterAsync(
            (DeadLetterReason.NonRetryable, 400, "BAD_REQUEST", 0, T0),
            (DeadLetterReason.NonRetryable, 400, "BAD_REQUEST", 0, T0.AddMinutes(1)),
            (DeadLetterReason.NonRetryable, 422, "PAYLOAD_VALIDATION_FAILED", 0, T0.AddMinutes(2)),
            (DeadLetterReason.RetriesExhausted, 503, "RETRYABLE_ERROR", 1, T0.AddMinutes(3)),
            (DeadLetterReason.MaxAgeExceeded, 429, "RETRYABLE_ERROR", 0, T0.AddMinutes(4)));

        var (code, output, error) = await dlq.CliAsync("dlq", "inspect", "--destination", dlq.Destination, "--json", "--newest", "2");

        Assert.True(code == 0, error);
        using var json = JsonDocument.Parse(output);
        var root = json.RootElement;
        Assert.Equal(5, root.GetProperty("total").GetInt64());
        Assert.Equal(dlq.DlqTopic, root.GetProperty("topic").GetString());
        Assert.Equal(3, root.GetProperty("byReason").GetProperty("NonRetryable").GetInt64());
        Assert.Equal(1, root.GetProperty("byReason").GetProperty("RetriesExhausted").GetInt64());
        Assert.Equal(1, root.GetProperty("byReason").GetProperty("MaxAgeExceeded").GetInt64());
        Assert.Equal(2, root.GetProperty("byStatus").GetProperty("400").GetInt64());
        Assert.Equal(2, root.GetProperty("byErrorType").GetProperty("RETRYABLE_ERROR").GetInt64());
        Assert.Equal(0, root.GetProperty("unreadable").GetInt64());
        var newest = root.GetProperty("newest").EnumerateArray().ToArray();
        Assert.Equal(["evt-4", "evt-3"], newest.Select(static r => r.GetProperty("eventId").GetString()));
        Assert.Equal("MaxAgeExceeded", newest[0].GetProperty("reason").GetString());
        Assert.Equal(1, newest[1].GetProperty("redriveCount").GetInt32());
        Assert.Contains(newest[0].GetProperty("headers").EnumerateArray(), static h => h.GetProperty("key").GetString() == "trace-id" && h.GetProperty("value").GetString() == "t4");
        var value = newest[0].GetProperty("value").GetString()!;
        Assert.StartsWith("{\"n\":4,", value, StringComparison.Ordinal);
        Assert.EndsWith("bytes)", value, StringComparison.Ordinal); // truncated
    }

    [Fact]
    public async Task Inspect_Text_ShowsCountsAndDecodedHeaders()
    {
        using var dlq = await DlqFixture.CreateAsync();
        await dlq.DeadLetterAsync((DeadLetterReason.NonRetryable, 400, "BAD_REQUEST", 0, T0), (DeadLetterReason.RetriesExhausted, 503, "RETRYABLE_ERROR", 2, T0.AddMinutes(1)));

        var (code, output, _) = await dlq.CliAsync("dlq", "inspect", "-d", dlq.Destination);

        Assert.Equal(0, code);
        Assert.Contains($"{dlq.DlqTopic} (destination {dlq.Destination}): 2 record(s)", output, StringComparison.Ordinal);
        Assert.Contains("by reason: NonRetryable 1, RetriesExhausted 1", output, StringComparison.Ordinal);
        Assert.Contains("by status: 400 1, 503 1", output, StringComparison.Ordinal);
        Assert.Contains("error: failed with 503", output, StringComparison.Ordinal);
        Assert.Contains($"{DeliveryHeaders.DlqReason}: RetriesExhausted", output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Inspect_UnknownDestination_NamesTheKey()
    {
        using var dlq = await DlqFixture.CreateAsync();

        var (code, _, error) = await dlq.CliAsync("dlq", "inspect", "--destination", "nope");

        Assert.Equal(1, code);
        Assert.StartsWith("Delivery:Destinations:nope: is not configured", error.Trim(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Redrive_FiltersAndDryRun_ProduceOnlyMatchingRecordsWithResetHeaders()
    {
        using var dlq = await DlqFixture.CreateAsync();
        await dlq.DeadLetterAsync(
            (DeadLetterReason.NonRetryable, 400, "BAD_REQUEST", 0, T0),
            (DeadLetterReason.RetriesExhausted, 503, "RETRYABLE_ERROR", 1, T0.AddMinutes(1)),
            (DeadLetterReason.RetriesExhausted, 429, "RETRYABLE_ERROR", 0, T0.AddMinutes(2)),
            (DeadLetterReason.RetriesExhausted, 503, "RETRYABLE_ERROR", 0, T0.AddHours(2)));
        var filters = new[] { "--reason", "RetriesExhausted", "--status", "503", "--until", T0.AddHours(1).ToString("O") };

        var dry = await dlq.CliAsync(["dlq", "redrive", "-d", dlq.Destination, .. filters, "--dry-run"]);

        Assert.True(dry.ExitCode == 0, dry.Error);
        Assert.Contains("dry run, would redrive 1", dry.Output, StringComparison.Ordinal);
        Assert.Contains("would redrive", dry.Output, StringComparison.Ordinal);
        Assert.Contains("event evt-1", dry.Output, StringComparison.Ordinal);
        Assert.Empty(await dlq.RetryRecordsAsync(0));

        var run = await dlq.CliAsync(["dlq", "redrive", "-d", dlq.Destination, .. filters]);

        Assert.True(run.ExitCode == 0, run.Error);
        Assert.Contains("examined 4, matched 1, redriven 1", run.Output, StringComparison.Ordinal);
        var record = Assert.Single(await dlq.RetryRecordsAsync(1));
        Assert.Equal("key-1", Encoding.UTF8.GetString(record.Message.Key));
        Assert.StartsWith("{\"n\":1,", Encoding.UTF8.GetString(record.Message.Value), StringComparison.Ordinal);
        Assert.True(DeliveryHeaderCodec.TryDecode(record.Message.Headers, out var headers, out var problem), problem);
        Assert.Equal("evt-1", headers.EventId);
        Assert.Equal(1, headers.Attempt);
        Assert.Equal(2, headers.RedriveCount);
        Assert.Null(headers.DeadLetterReason);
        Assert.Null(headers.DeadLetteredAt);
        Assert.NotNull(headers.NotBefore);
        Assert.True(headers.FirstAttemptAt > T0.AddDays(1), "first attempt reset to now");
        Assert.Equal(503, headers.Error!.Status);
        Assert.Equal("t1", DeliveryHeaderCodec.GetString(record.Message.Headers, "trace-id"));
    }

    [Fact]
    public async Task Redrive_Interrupted_SecondRunContinuesWithoutDuplicates()
    {
        using var dlq = await DlqFixture.CreateAsync();
        await dlq.DeadLetterAsync([.. Enumerable.Range(0, 7).Select(i => (DeadLetterReason.NonRetryable, 400, "BAD_REQUEST", 0, T0.AddMinutes(i)))]);

        var first = await dlq.CliAsync("dlq", "redrive", "-d", dlq.Destination, "--limit", "3");
        var second = await dlq.CliAsync("dlq", "redrive", "-d", dlq.Destination);
        var third = await dlq.CliAsync("dlq", "redrive", "-d", dlq.Destination);

        Assert.True(first.ExitCode == 0, first.Error);
        Assert.Contains("redriven 3", first.Output, StringComparison.Ordinal);
        Assert.Contains("remaining 4", first.Output, StringComparison.Ordinal);
        Assert.Contains("examined 4, matched 4, redriven 4", second.Output, StringComparison.Ordinal);
        Assert.Contains("examined 0, matched 0, redriven 0", third.Output, StringComparison.Ordinal);
        var ids = (await dlq.RetryRecordsAsync(7)).Select(static r => DeliveryHeaderCodec.GetString(r.Message.Headers, DeliveryHeaders.EventId)).Order(StringComparer.Ordinal).ToArray();
        Assert.Equal(Enumerable.Range(0, 7).Select(static i => $"evt-{i}"), ids);
    }

    [Fact]
    public async Task Redrive_PastMaxRedrives_RefusedUnlessForced()
    {
        using var dlq = await DlqFixture.CreateAsync(maxRedrives: 2);
        await dlq.DeadLetterAsync(
            (DeadLetterReason.RetriesExhausted, 503, "RETRYABLE_ERROR", 2, T0),
            (DeadLetterReason.RetriesExhausted, 503, "RETRYABLE_ERROR", 1, T0.AddMinutes(1)));

        var refused = await dlq.CliAsync("dlq", "redrive", "-d", dlq.Destination);

        Assert.True(refused.ExitCode == 0, refused.Error);
        Assert.Contains("matched 2, redriven 1, refused past MaxRedrives 1", refused.Output, StringComparison.Ordinal);
        Assert.Contains("use --force", refused.Output, StringComparison.Ordinal);
        var onlyOne = await dlq.RetryRecordsAsync(1);
        Assert.Equal(["evt-1"], onlyOne.Select(static r => DeliveryHeaderCodec.GetString(r.Message.Headers, DeliveryHeaders.EventId)));

        var forced = await dlq.CliAsync("dlq", "redrive", "-d", dlq.Destination, "--from-beginning", "--force", "--reason", "RetriesExhausted", "--until", T0.AddSeconds(30).ToString("O"));

        Assert.True(forced.ExitCode == 0, forced.Error);
        Assert.Contains("matched 1, redriven 1, refused past MaxRedrives 0", forced.Output, StringComparison.Ordinal);
        var both = await dlq.RetryRecordsAsync(2);
        var evt0 = Assert.Single(both, static r => DeliveryHeaderCodec.GetString(r.Message.Headers, DeliveryHeaders.EventId) == "evt-0");
        Assert.Equal("3", DeliveryHeaderCodec.GetString(evt0.Message.Headers, DeliveryHeaders.RedriveCount));
    }
}
