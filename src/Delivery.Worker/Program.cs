// delivery-worker: the stock executable, built the way a custom one is (see Hosting/DeliveryWorkerBuilder.cs).
using Delivery.Worker;

return await DeliveryWorker.CreateBuilder(args).RunAsync();
