using Delivery.Worker.Telemetry;

namespace Delivery.Worker.Tests.Metrics;

public sealed class PrometheusNamingTests
{
    [Theory]
    [InlineData("delivery.handler.duration", "s", "delivery_handler_duration_seconds")]
    [InlineData("delivery.consumer.lag", "{message}", "delivery_consumer_lag")]
    [InlineData("http.server.request.body.size", "By", "http_server_request_body_size_bytes")]
    [InlineData("queue.latency", "ms", "queue_latency_milliseconds")]
    [InlineData("requests.rate", "{request}/s", "requests_rate_per_second")]
    [InlineData("cpu.utilization", "1", "cpu_utilization")]
    [InlineData("already_seconds", "s", "already_seconds")]
    [InlineData("a..b--c", null, "a_b_c")]
    [InlineData("9lives", null, "_9lives")]
    public void MetricName_OtelNameAndUnit_FollowsPrometheusConventions(string name, string? unit, string expected) =>
        Assert.Equal(expected, PrometheusNaming.MetricName(name, unit));

    [Theory]
    [InlineData("delivery.events", "{event}", "delivery_events_total")]
    [InlineData("jobs_total", null, "jobs_total")]
    [InlineData("cpu.time", "s", "cpu_time_seconds_total")]
    public void CounterName_MonotonicSum_EndsInTotal(string name, string? unit, string expected) =>
        Assert.Equal(expected, PrometheusNaming.CounterName(name, unit));

    [Fact]
    public void EscapeLabelValue_QuotesBackslashesNewlines_AreEscaped() =>
        Assert.Equal("a\\\"b\\\\c\\nd", PrometheusNaming.EscapeLabelValue("a\"b\\c\nd"));

    [Fact]
    public void LabelName_DottedKey_BecomesUnderscored() =>
        Assert.Equal("messaging_destination_name", PrometheusNaming.LabelName("messaging.destination.name"));
}
