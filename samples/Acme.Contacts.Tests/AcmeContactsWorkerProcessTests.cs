using System.Diagnostics;

namespace Acme.Contacts.Tests;

/// <summary>The sample executable (<c>dotnet acme-contacts-worker.dll …</c>) as a child process: the custom type is part of its commands.</summary>
public sealed class AcmeContactsWorkerProcessTests : IDisposable
{
    private readonly string _directory = Path.Combine(Path.GetTempPath(), "acme-worker-" + Guid.NewGuid().ToString("N"));

    public AcmeContactsWorkerProcessTests() => Directory.CreateDirectory(_directory);

    [Fact]
    public async Task ValidateConfig_ShippedAppSettings_ConfigurationOk()
    {
        var shipped = Path.Combine(AppContext.BaseDirectory, "acme-contacts-worker.appsettings.json");

        var (code, output, error) = await RunAsync("validate-config", "--config", shipped);

        Assert.True(code == 0, error);
        Assert.Equal("configuration OK", output.Trim());
    }

    [Fact]
    public async Task ValidateConfig_BadListIdOfAnAcmeDestination_NamesTheKeyAndExitsOne()
    {
        var config = Path.Combine(_directory, "bad.json");
        await File.WriteAllTextAsync(config, """
            { "Delivery": { "Kafka": { "BootstrapServers": "kafka:9092" }, "Destinations": { "crm": { "Type": "AcmeContacts", "SourceTopics": [ "crm" ],
              "Http": { "BaseAddress": "https://contacts.acme.example/" }, "Settings": { "ListId": "news letter" } } } } }
            """);

        var (code, _, error) = await RunAsync("validate-config", "--config", config);

        Assert.Equal(1, code);
        Assert.Equal("Delivery:Destinations:crm:Settings:ListId: may hold only letters, digits, '-' and '_'", error.Trim());
    }

    [Fact]
    public async Task ValidateConfig_UnknownSettingsKey_IsRefusedWithTheKeyMeant()
    {
        var config = Path.Combine(_directory, "typo.json");
        await File.WriteAllTextAsync(config, """
            { "Delivery": { "Kafka": { "BootstrapServers": "kafka:9092" }, "Destinations": { "crm": { "Type": "AcmeContacts", "SourceTopics": [ "crm" ],
              "Http": { "BaseAddress": "https://contacts.acme.example/" }, "Settings": { "ListId": "news", "ListID2": "x" } } } } }
            """);

        var (code, _, error) = await RunAsync("validate-config", "--config", config);

        Assert.Equal(1, code);
        Assert.Equal("Delivery:Destinations:crm:Settings:ListID2: unknown key (did you mean ListId?)", error.Trim());
    }

    [Fact]
    public async Task Help_ListsEveryWorkerCommand()
    {
        var (code, output, _) = await RunAsync("--help");

        Assert.Equal(0, code);
        foreach (var command in new[] { "run", "validate-config", "dlq", "demo" })
        {
            Assert.Contains(command, output, StringComparison.Ordinal);
        }
    }

    [Fact]
    public async Task Demo_AcmeContactsType_DeliversThroughTheHandlerAndAccountsForEveryEvent()
    {
        var (code, output, error) = await RunAsync("demo", "--duration", "6s", "--rate", "200", "--seed", "3", "--outage-every", "0");

        Assert.True(code == 0, error + output);
        Assert.Contains("events/s → AcmeContacts → http://127.0.0.1:", output, StringComparison.Ordinal);
        var check = Assert.Single(output.Split('\n'), l => l.StartsWith("check: produced ", StringComparison.Ordinal));
        Assert.EndsWith(": OK", check.Trim(), StringComparison.Ordinal);
        Assert.Matches(@"delivered: [1-9]\d* \(demo API accepted [1-9]\d* distinct events\)", output);
    }

    public void Dispose() => Directory.Delete(_directory, recursive: true);

    private static async Task<(int Code, string Output, string Error)> RunAsync(params string[] args)
    {
        var dll = Path.Combine(AppContext.BaseDirectory, "acme-contacts-worker.dll");
        Assert.True(File.Exists(dll), $"{dll} is not next to the test assembly");
        var start = new ProcessStartInfo("dotnet") { RedirectStandardOutput = true, RedirectStandardError = true, WorkingDirectory = AppContext.BaseDirectory };
        start.ArgumentList.Add(dll);
        foreach (var arg in args)
        {
            start.ArgumentList.Add(arg);
        }

        // The machine's environment must not leak into the worker's configuration.
        foreach (var key in start.Environment.Keys.Where(k => k.StartsWith("Delivery__", StringComparison.OrdinalIgnoreCase) || k.Contains("ENVIRONMENT", StringComparison.Ordinal)).ToList())
        {
            start.Environment.Remove(key);
        }

        using var process = Process.Start(start)!;
        using var deadline = new CancellationTokenSource(TimeSpan.FromMinutes(2));
        var output = process.StandardOutput.ReadToEndAsync(deadline.Token);
        var error = process.StandardError.ReadToEndAsync(deadline.Token);
        await process.WaitForExitAsync(deadline.Token);
        return (process.ExitCode, await output, await error);
    }
}
