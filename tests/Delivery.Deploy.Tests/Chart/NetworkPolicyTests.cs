using Delivery.Deploy.Tests.Helm;

namespace Delivery.Deploy.Tests.Chart;

public sealed class NetworkPolicyTests
{
    [Fact]
    public async Task NetworkPolicy_Defaults_NotRendered()
    {
        var chart = await ChartRenders.DefaultsAsync();

        Assert.Empty(chart.OfKind("NetworkPolicy"));
    }

    [Fact]
    public async Task NetworkPolicy_Example_IngressOnHttpPortEgressToKafkaDestinationsAndDns()
    {
        var chart = await ChartRenders.TwoDestinationsAsync();

        var spec = chart.Single("NetworkPolicy")["spec"]!;
        var ingress = Assert.Single(spec["ingress"]!.AsArray())!;
        var ingressPort = Assert.Single(ingress["ports"]!.AsArray())!;
        Assert.Equal("http", (string?)ingressPort["port"]);
        var egressPorts = spec["egress"]!.AsArray()
            .SelectMany(rule => rule!["ports"]!.AsArray())
            .Select(p => ((int)p!["port"]!, (string?)p["protocol"]))
            .ToList();
        Assert.Contains((9093, "TCP"), egressPorts);
        Assert.Contains((443, "TCP"), egressPorts);
        Assert.Contains((53, "UDP"), egressPorts);
        Assert.DoesNotContain((9092, "TCP"), egressPorts);
        Assert.Equal(["Ingress", "Egress"], spec["policyTypes"]!.AsArray().Select(t => (string?)t));
    }
}
