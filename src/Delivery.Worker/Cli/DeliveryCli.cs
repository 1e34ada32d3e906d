using System.CommandLine;
using Delivery.Worker.Hosting;

namespace Delivery.Worker.Cli;

/// <summary>The <c>delivery-worker</c> command line: run (default), validate-config, dlq inspect|redrive, demo.</summary>
internal static class DeliveryCli
{
    /// <summary>Builds the command tree over a settings template.</summary>
    public static RootCommand Create(WorkerHostSettings? template = null)
    {
        var context = new CliContext(template ?? new WorkerHostSettings());
        var root = new RootCommand("delivery-worker: Kafka → destination delivery with per-event retries and dead-lettering.");
        root.Add(context.Environment);
        root.Add(context.Config);
        var run = RunCommand.Create(context);
        root.Add(run);
        root.Add(ValidateConfigCommand.Create(context));
        root.Add(DlqCommand.Create(context));
        root.Add(DemoCommand.Create(context));
        root.SetAction((parse, ct) => RunCommand.RunAsync(parse, context.Settings(parse), ct));
        return root;
    }

    /// <summary>Parses and invokes; the host (not the parser) handles SIGTERM so shutdown can drain.</summary>
    public static Task<int> InvokeAsync(
        IReadOnlyList<string> args,
        TextWriter? output = null,
        TextWriter? error = null,
        WorkerHostSettings? template = null,
        CancellationToken cancellationToken = default)
    {
        var configuration = new InvocationConfiguration
        {
            ProcessTerminationTimeout = null,
            Output = output ?? Console.Out,
            Error = error ?? Console.Error,
        };
        return Create(template).Parse(args).InvokeAsync(configuration, cancellationToken);
    }
}
