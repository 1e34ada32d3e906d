// delivery-worker: the composition root is the command line; see Cli/DeliveryCli.cs.
using Delivery.Worker.Cli;

return await DeliveryCli.InvokeAsync(args);
