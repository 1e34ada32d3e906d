using Delivery.Core;
using Delivery.Worker.Cli;
using Delivery.Worker.Hosting;
using Delivery.Worker.Tests.Cli;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;

namespace Delivery.Worker.Tests.Hosting;

public sealed class DeliveryWorkerBuilderTests
{
    private static readonly WorkerHostSettings Quiet = new() { UseEnvironmentVariables = false, LogOutput = TextWriter.Null };

    [Theory]
    [InlineData("HttpBatch")]
    [InlineData("webhook")]
    [InlineData("NoOp")]
    public void AddDestinationType_BuiltInName_Throws(string name)
    {
        var builder = DeliveryWorker.CreateBuilder([]);

        var error = Assert.Throws<ArgumentException>(() => builder.AddDestinationType<ColorDestinationFactory>(name));
        Assert.Contains("built-in", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void AddDestinationType_SameNameTwice_Throws()
    {
        var builder = DeliveryWorker.CreateBuilder([]).AddDestinationType<ColorDestinationFactory>(ColorDestinationFactory.TypeName);

        Assert.Throws<ArgumentException>(() => builder.AddDestinationType<ColorDestinationFactory>(ColorDestinationFactory.TypeName));
        Assert.Equal([ColorDestinationFactory.TypeName], builder.DestinationTypes);
    }

    [Fact]
    public async Task InvokeAsync_ValidateConfigWithBadCustomSettings_PrintsTheTypesLineAndExitsOne()
    {
        using var settings = ColorDestination(color: null);

        var (code, output, error) = await ValidateAsync(settings.Path);

        Assert.Equal(1, code);
        Assert.DoesNotContain("configuration OK", output, StringComparison.Ordinal);
        Assert.Equal("Delivery:Destinations:orders:Settings:Color: is required", error.Trim());
    }

    [Fact]
    public async Task InvokeAsync_ValidateConfigWithValidCustomType_PrintsOkAndExitsZero()
    {
        using var settings = ColorDestination(color: "teal");

        var (code, output, error) = await ValidateAsync(settings.Path);

        Assert.True(code == 0, error);
        Assert.Equal("configuration OK", output.Trim());
    }

    [Fact]
    public async Task InvokeAsync_ValidateConfigWithoutTheType_NamesItUnknown()
    {
        using var settings = ColorDestination(color: "teal");
        using var output = new StringWriter();
        using var error = new StringWriter();

        var code = await DeliveryCli.InvokeAsync(["validate-config", "--config", settings.Path], output, error, Quiet);

        Assert.Equal(1, code);
        Assert.Contains("unknown destination type 'Color'", error.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task InvokeAsync_DemoWithATypeThatHasNoDemo_NamesTheKnownTypesAndFails()
    {
        using var output = new StringWriter();
        using var error = new StringWriter();

        var code = await DeliveryWorker.CreateBuilder(["demo", "--type", ColorDestinationFactory.TypeName])
            .AddDestinationType<ColorDestinationFactory>(ColorDestinationFactory.TypeName)
            .InvokeAsync(output, error, Quiet, CancellationToken.None);

        Assert.NotEqual(0, code);
        Assert.Contains("--type: 'Color' has no demo (known: HttpBatch)", error.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public void Settings_TypeWithDemo_ReachesTheCommandsTemplate()
    {
        var demo = new DestinationDemo { Answer = _ => Delivery.Testing.ApiAnswer.Empty(200) };

        var settings = DeliveryWorker.CreateBuilder([]).AddDestinationType<ColorDestinationFactory>(ColorDestinationFactory.TypeName, demo).Settings(Quiet);

        Assert.Same(demo, settings.Demos[ColorDestinationFactory.TypeName]);
    }

    [Fact]
    public async Task Settings_RunningHost_CreatesTheCustomTypesHandlerForItsDestination()
    {
        ColorDestinationFactory? factory = null;
        var builder = DeliveryWorker.CreateBuilder([]).AddDestinationType(
            ColorDestinationFactory.TypeName,
            provider => factory = new ColorDestinationFactory(provider.GetRequiredService<IConfiguration>()));
        var configuration = RunningWorker.BaseConfiguration();
        configuration["Delivery:Http:Port"] = "0";
        configuration["Delivery:Destinations:orders:Type"] = ColorDestinationFactory.TypeName;
        configuration["Delivery:Destinations:orders:SourceTopics:0"] = "orders";
        configuration["Delivery:Destinations:orders:Settings:Color"] = "teal";

        await using var worker = await RunningWorker.StartAsync(builder.Settings(Quiet with { Overrides = configuration }));

        // The host puts its secret-redacting wrapper in front of every type, custom ones included.
        Assert.NotNull(worker.Services.GetRequiredKeyedService<IDestinationHandlerFactory>(ColorDestinationFactory.TypeName));
        await Poll.UntilAsync(() => Task.FromResult(factory!.Created.ToArray()), created => created.Contains("orders"), TimeSpan.FromSeconds(20), "the Color handler of 'orders'");
        Assert.Contains(ColorDestinationFactory.TypeName, worker.Services.GetRequiredService<DestinationTypeRegistry>().Types);
        // Health covers the custom type's destination, ready or not (the broker at 127.0.0.1:9 never answers, so the
        // group-protocol probe and the pipeline may still be starting: 503 with the destination listed).
        using var response = await worker.Client.GetAsync(new Uri("readyz", UriKind.Relative));
        var ready = await response.Content.ReadAsStringAsync();
        Assert.Contains("\"destination\":\"orders\"", ready, StringComparison.Ordinal);
    }

    private static TempSettingsFile ColorDestination(string? color) => new($$"""
        { "Delivery": { "Kafka": { "BootstrapServers": "127.0.0.1:9" }, "Http": { "Port": 0 },
          "Destinations": { "orders": { "Type": "{{ColorDestinationFactory.TypeName}}", "SourceTopics": [ "orders" ]{{(color is null ? string.Empty : $", \"Settings\": {{ \"Color\": \"{color}\" }}")}} } } } }
        """);

    private static async Task<(int Code, string Output, string Error)> ValidateAsync(string path)
    {
        using var output = new StringWriter();
        using var error = new StringWriter();
        var code = await DeliveryWorker.CreateBuilder(["validate-config", "--config", path])
            .AddDestinationType<ColorDestinationFactory>(ColorDestinationFactory.TypeName)
            .InvokeAsync(output, error, Quiet, CancellationToken.None);
        return (code, output.ToString(), error.ToString());
    }
}
