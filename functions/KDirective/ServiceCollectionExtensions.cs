using KDirective.Agencies;
using KDirective.Configuration;
using KDirective.Directive;
using KDirective.Email;
using KDirective.Reminders;
using KDirective.Ingestion;
using KDirective.Inventory;
using KDirective.Storage;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;

namespace KDirective;

public static class ServiceCollectionExtensions
{
    /// <summary>Everything the Functions app and the CLI share. Storage comes from the <c>InventoryStorage</c> setting.</summary>
    public static IServiceCollection AddKDirective(this IServiceCollection services, IConfiguration configuration)
    {
        services.TryAddSingleton(TimeProvider.System);
        services.TryAddSingleton(_ => StorageConnection.FromConfiguration(configuration));
        services.AddSingleton<StorageInitializer>();
        services.AddKeyVaultReferenceCheck();
        services.AddSingleton<Detection.CatalogSource>();
        services.AddSingleton(sp => new Detection.ProductMatcher(
            sp.GetRequiredService<Detection.CatalogSource>().Get(sp.GetRequiredService<IOptions<DirectiveOptions>>().Value.Catalog)));
        services.AddSingleton<InventoryReader>();
        services.AddSingleton<AgencyRegistry>();
        services.AddSingleton<SubmissionStore>();
        services.AddSingleton<FindingStore>();
        services.AddSingleton<StatusStore>();
        services.AddSingleton<HostDiffStore>();
        services.AddSingleton<CoverageService>();
        services.AddSingleton<DiffRepair>();
        services.AddSingleton<SubmissionSweeper>();
        services.AddSingleton<IngestionService>();

        services.AddOptions<DirectiveOptions>().BindConfiguration(DirectiveOptions.Section).ValidateDataAnnotations()
            .Validate(o => TimeZoneInfo.TryFindSystemTimeZoneById(o.TimeZone, out _), $"{DirectiveOptions.Section}:TimeZone is not a known time zone id")
            .ValidateOnStart();
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IValidateOptions<DirectiveOptions>, Detection.CatalogValidation>());
        services.AddOptions<ReminderOptions>().BindConfiguration(ReminderOptions.Section).ValidateDataAnnotations().ValidateOnStart();
        services.AddOptions<Digest.DigestOptions>().BindConfiguration(Digest.DigestOptions.Section).ValidateDataAnnotations().ValidateOnStart();
        services.AddOptions<EmailOptions>().BindConfiguration(EmailOptions.Section).ValidateDataAnnotations().ValidateOnStart();
        services.AddOptions<SendGridOptions>().BindConfiguration(SendGridOptions.Section).ValidateDataAnnotations()
            .Validate(o => !o.Required || !string.IsNullOrWhiteSpace(o.ApiKey), "SendGrid__ApiKey is empty and SendGrid__Required is true: give the key (azd env set-secret SENDGRID_API_KEY) or choose outbox-only email explicitly (KDIRECTIVE_EMAIL_DELIVERY=outbox sets SendGrid__Required=false)")
            .ValidateOnStart();
        services.AddSingleton<DirectiveCalendar>();
        services.AddSingleton<MilestoneEvaluator>();
        services.AddSingleton<ReminderPlanner>();
        services.AddSingleton<ReminderStore>();
        services.AddSingleton<Outbound>();
        services.AddSingleton<ReceiptService>();
        services.AddSingleton<ISubmissionObserver>(sp => sp.GetRequiredService<ReceiptService>());
        services.AddSingleton<ReminderService>();
        services.AddSingleton<Dashboard.StatusReport>();

        // With a SendGrid key, email goes through SendGrid; without one (local runs), to .eml files. Never dropped.
        services.AddHttpClient<SendGridEmailSender>();
        services.TryAddSingleton<IEmailSender>(sp => string.IsNullOrWhiteSpace(sp.GetRequiredService<IOptions<SendGridOptions>>().Value.ApiKey)
            ? ActivatorUtilities.CreateInstance<OutboxEmailSender>(sp)
            : sp.GetRequiredService<SendGridEmailSender>());
        return services;
    }
}
