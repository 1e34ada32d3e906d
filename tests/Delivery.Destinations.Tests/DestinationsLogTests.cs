using System.Diagnostics.Metrics;
using Delivery.Core.MultiStatus;
using Delivery.Destinations.Tests.Testing;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Testing;

namespace Delivery.Destinations.Tests;

/// <summary>The handlers' log lines (EventIds 7101–7106) and the contract-violation counter, seen from outside.</summary>
public sealed class DestinationsLogTests
{
    private readonly FakeLogCollector _logs = new();

    private (DestinationHost Host, Core.IDestinationHandler Handler) Create(string type, Uri address, IDictionary<string, string?>? extra = null)
        => DestinationHost.Create(type, address, extra, configure: s => s.AddLogging(b => b.AddProvider(new FakeLoggerProvider(_logs))));

    private FakeLogRecord[] Records(int eventId) => [.. _logs.GetSnapshot().Where(r => r.Id.Id == eventId)];

    [Fact]
    public async Task ContractViolation_LoggedAndCountedWithTheDestination()
    {
        await using var server = await ScriptedServer.StartAsync(207, "{\"errorResponses\":[{\"index\":9,\"status\":400}]}");
        var (host, handler) = Create("HttpBatch", server.BaseAddress);
        using var hostScope = host;
        var factory = host.Services.GetRequiredService<IMeterFactory>();
        var measurements = new List<(long Value, string? Destination, string Unit)>();
        string? description = null;
        using var listener = new MeterListener();
        listener.InstrumentPublished = (instrument, l) =>
        {
            if (instrument.Meter.Scope == factory && instrument.Meter.Name == DestinationMetrics.MeterName && instrument.Name == "delivery.destination.contract_violations")
            {
                description = instrument.Description;
                l.EnableMeasurementEvents(instrument);
            }
        };
        listener.SetMeasurementEventCallback<long>((instrument, value, tags, _) =>
        {
            lock (measurements)
            {
                measurements.Add((value, tags.ToArray().SingleOrDefault(t => t.Key == "destination").Value as string, instrument.Unit ?? string.Empty));
            }
        });
        listener.Start();

        await handler.SendBatchAsync(Events.Batch(2), CancellationToken.None);

        var record = Assert.Single(Records(7101));
        Assert.Equal(LogLevel.Warning, record.Level);
        Assert.StartsWith("Destination dest broke its response contract: errorResponses entry", record.Message, StringComparison.Ordinal);
        Assert.Equal([(1L, "dest", "{violation}")], measurements);
        Assert.StartsWith("Destination answers that broke their contract", description, StringComparison.Ordinal);
    }

    [Fact]
    public async Task TooLarge_SplitLoggedPerMultiEventRequestAndSingleEventNamed()
    {
        await using var server = await ScriptedServer.StartAsync(413);
        var (host, handler) = Create("HttpBatch", server.BaseAddress);
        using var hostScope = host;

        var response = await handler.SendBatchAsync(Events.Batch(2), CancellationToken.None);

        ResponseAssert.Error(response, 0, 413, ErrorCodes.PayloadTooLarge);
        Assert.Equal("Destination dest answered 413 for 2 events; splitting the request in halves", Assert.Single(Records(7102)).Message);
        Assert.Equal(
            ["Destination dest rejected event orders/0/0 alone as too large (413)", "Destination dest rejected event orders/0/1 alone as too large (413)"],
            Records(7103).Select(r => r.Message).Order(StringComparer.Ordinal).ToArray());
    }

    [Fact]
    public async Task WebhookGone_WarningNamesDestinationAndEndpointOnly()
    {
        await using var server = await ScriptedServer.StartAsync(410);
        var (host, handler) = Create("Webhook", server.BaseAddress, new Dictionary<string, string?> { ["Settings:Path"] = "hooks/s3cr3t" });
        using var hostScope = host;

        await Assert.ThrowsAsync<DestinationGoneException>(() => handler.SendBatchAsync(Events.Batch(1), CancellationToken.None).AsTask());

        var record = Assert.Single(Records(7106));
        Assert.Equal(LogLevel.Warning, record.Level);
        Assert.Contains($"the webhook endpoint {server.BaseAddress.GetLeftPart(UriPartial.Authority)} answered 410 Gone", record.Message, StringComparison.Ordinal);
        Assert.DoesNotContain("s3cr3t", record.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task NakadiResend_RoundLoggedThenExhaustionLogged()
    {
        // Round 0: event 0 failed, event 1 aborted → resent (7104, round 1); round 1: aborted again, nothing failed → 7105.
        await using var server = await ScriptedServer.StartAsync((request, c) => ScriptedServer.Respond(c, 422, request.Sequence == 1
            ? "[{\"publishing_status\":\"failed\",\"step\":\"validating\",\"detail\":\"bad\"},{\"publishing_status\":\"aborted\"}]"
            : "[{\"publishing_status\":\"aborted\"}]"));
        var (host, handler) = Create("Nakadi", server.BaseAddress, new Dictionary<string, string?> { ["Settings:EventType"] = "e" });
        using var hostScope = host;

        var response = await handler.SendBatchAsync(Events.Batch(2), CancellationToken.None);

        Assert.Equal(2, server.Requests.Count);
        Assert.Equal("Destination dest rejected 1 events with 422; resending 1 aborted events (round 1)", Assert.Single(Records(7104)).Message);
        Assert.Equal("Destination dest: 1 events still aborted after 1 resend rounds; they are reported retryable", Assert.Single(Records(7105)).Message);
        Assert.Equal(
            "Nakadi aborted the event because another event was invalid; still aborted after 1 resend rounds.",
            ResponseAssert.Error(response, 1, 500, ErrorCodes.RetryableError).ErrorMessage);
    }

    [Theory]
    [InlineData("Nakadi", 207, "[{\"publishing_status\":\"submitted\"}]", "a 207 lists 1 items for 2 events sent")]
    [InlineData("Nakadi", 207, "[{\"publishing_status\":\"odd\"},{\"publishing_status\":\"submitted\"}]", "item 0 of a 207 has publishing_status 'odd'")]
    [InlineData("Nakadi", 422, "[{\"publishing_status\":\"odd\"},{\"publishing_status\":\"submitted\"}]", "item 0 of a 422 has publishing_status 'odd'")]
    [InlineData("ElasticsearchBulk", 200, "{\"errors\":true,\"items\":[{\"index\":{\"status\":201}}]}", "_bulk answered 1 items for 2 actions")]
    [InlineData("ElasticsearchBulk", 200, "{\"errors\":true,\"items\":[{\"index\":{}},{\"index\":{\"status\":201}}]}", "_bulk item 0 has no status")]
    public async Task ContractViolation_EachKindLoggedWithItsText(string type, int status, string json, string violation)
    {
        await using var server = await ScriptedServer.StartAsync(status, json);
        var (host, handler) = Create(type, server.BaseAddress, new Dictionary<string, string?> { ["Settings:EventType"] = "e", ["Settings:Index"] = "i" });
        using var hostScope = host;

        await handler.SendBatchAsync(Events.Batch(2), CancellationToken.None);

        Assert.Equal($"Destination dest broke its response contract: {violation}", Assert.Single(Records(7101)).Message);
    }
}
