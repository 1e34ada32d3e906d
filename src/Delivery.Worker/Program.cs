// delivery-worker: the composition root is the command line; see Cli/DeliveryCli.cs.
using Delivery.Worker.Cli;
using Delivery.Worker.Logging;
using Serilog;

Log.Logger = DeliveryLogging.CreateBootstrapLogger();
try
{
    return await DeliveryCli.InvokeAsync(args);
}
catch (Exception exception)
{
    Log.Fatal(exception, "delivery-worker stopped before it could run");
    return 1;
}
finally
{
    await Log.CloseAndFlushAsync();
}
