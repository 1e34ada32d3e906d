// acme-contacts-worker: every delivery-worker command, plus the AcmeContacts destination type.
using Acme.Contacts;
using Delivery.Worker;

return await DeliveryWorker.CreateBuilder(args)
    .AddDestinationType<AcmeContactsHandlerFactory>(AcmeContactsHandlerFactory.TypeName)
    .RunAsync();
