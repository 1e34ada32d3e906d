// acme-contacts-worker: every delivery-worker command, plus the AcmeContacts destination type (and its demo API).
using Acme.Contacts;
using Acme.Contacts.Worker;
using Delivery.Worker;

return await DeliveryWorker.CreateBuilder(args)
    .AddDestinationType<AcmeContactsHandlerFactory>(AcmeContactsHandlerFactory.TypeName, AcmeContactsApi.Demo)
    .RunAsync();
