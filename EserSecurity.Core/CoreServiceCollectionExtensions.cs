using EserSecurity.Core.AccessRequests;
using EserSecurity.Core.Administration;
using EserSecurity.Core.Assurance;
using EserSecurity.Core.Audit;
using EserSecurity.Core.Changes;
using EserSecurity.Core.Coordinators;
using EserSecurity.Core.Data;
using EserSecurity.Core.Directories;
using EserSecurity.Core.Documents;
using EserSecurity.Core.Employment;
using EserSecurity.Core.Home;
using EserSecurity.Core.Identity;
using EserSecurity.Core.Imports;
using EserSecurity.Core.KeyDates;
using EserSecurity.Core.LegacyMigration;
using EserSecurity.Core.Notifications;
using EserSecurity.Core.Provisioning;
using EserSecurity.Core.Readiness;
using EserSecurity.Core.Retention;
using EserSecurity.Core.Reviews;
using EserSecurity.Core.Roles;
using EserSecurity.Core.SchoolSystems;
using EserSecurity.Core.Staff;
using EserSecurity.Core.Security;
using EserSecurity.Core.Tas;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace EserSecurity.Core;

public static class CoreServiceCollectionExtensions
{
    /// <summary>Registers the database and every Core service. Services are stateless singletons that open one short-lived context per operation.</summary>
    public static IHostApplicationBuilder AddEserSecurityCore(this IHostApplicationBuilder builder)
    {
        var section = builder.Configuration.GetSection(DatabaseOptions.SectionName);
        builder.Services.Configure<DatabaseOptions>(section);
        builder.Services.Configure<QueueOptions>(builder.Configuration.GetSection(QueueOptions.SectionName));
        builder.Services.Configure<AuditOptions>(builder.Configuration.GetSection(AuditOptions.SectionName));
        if (builder.Environment.IsDevelopment())
        {
            // Development keeps its own key next to its database; any other environment must be given one.
            builder.Services.PostConfigure<AuditOptions>(o =>
            {
                if (string.IsNullOrWhiteSpace(o.ChainKey) && string.IsNullOrWhiteSpace(o.ChainKeyFile))
                {
                    o.ChainKeyFile = Path.Combine(builder.Environment.ContentRootPath, "App_Data", "audit-chain.key");
                    o.CreateKeyFile = true;
                }
            });
        }
        builder.Services.Configure<RetentionOptions>(builder.Configuration.GetSection(RetentionOptions.SectionName));
        if (builder.Environment.IsDevelopment())
        {
            // Development keeps its archive next to its database; any other environment names the folder (or turns the archive off).
            builder.Services.PostConfigure<RetentionOptions>(o => o.Folder ??= Path.Combine(builder.Environment.ContentRootPath, "App_Data", "archive"));
        }
        builder.Services.AddHostedService<RetentionArchiveCheck>();
        builder.Services.Configure<DocumentOptions>(builder.Configuration.GetSection(DocumentOptions.SectionName));
        builder.Services.Configure<AssuranceOptions>(builder.Configuration.GetSection(AssuranceOptions.SectionName));
        builder.Services.Configure<AccessReviewOptions>(builder.Configuration.GetSection(AccessReviewOptions.SectionName));
        builder.Services.AddStateAdministration(builder.Configuration);
        builder.Services.AddEmployment(builder.Configuration);
        builder.Services.AddHostedService<AccessReviewDeadlines>();
        builder.Services.AddHostedService<DecisionCalendarCheck>();
        builder.Services.Configure<WebhookOptions>(builder.Configuration.GetSection(WebhookOptions.SectionName));
        builder.Services.AddHostedService<WebhookDelivery>();
        builder.Services.Configure<MailOptions>(builder.Configuration.GetSection(MailOptions.SectionName));
        builder.Services.AddHostedService<NotificationMailDelivery>();
        builder.Services.Configure<NotificationOptions>(builder.Configuration.GetSection(NotificationOptions.SectionName));
        builder.Services.AddHostedService<RequestFollowUpCheck>();
        builder.Services.AddHostedService<LinkRequestFollowUpCheck>();
        builder.Services.AddHostedService<AssuranceReminderCheck>();
        builder.Services.AddHostedService<AuditVerificationCheck>();
        builder.Services.AddHostedService<Grants.GrantExpiryCheck>();
        var database = section.Get<DatabaseOptions>() ?? new DatabaseOptions();
        builder.Services.AddEserSecurityCore(database);
        return builder;
    }

    public static IServiceCollection AddEserSecurityCore(this IServiceCollection services, DatabaseOptions database)
    {
        // A misspelt provider stops the start here, with the values allowed, not at the first query.
        database.DatabaseProvider();
        // Pooled: every live update of every open page opens a context, and a pooled one skips building it afresh.
        services.AddPooledDbContextFactory<EserSecurityDbContext>((provider, options) =>
        {
            ConfigureProvider(options, database);
            options.AddInterceptors(new DecisionChangeCapture(provider.GetRequiredService<TimeProvider>()));
        });
        services.TryAddSingleton(TimeProvider.System);
        // The host registers the meter factory; a container made without one (a test's, the benchmarks') gets its own.
        services.AddMetrics();
        services.AddSingleton<ConsoleMetrics>();
        services.AddOptions<QueueOptions>();
        services.AddOptions<DocumentOptions>()
            .Validate(o => o.PerPersonPerMinute is >= 1 and <= 10_000,
                $"{DocumentOptions.SectionName}:{nameof(DocumentOptions.PerPersonPerMinute)} must be from 1 to 10,000.");
        services.AddOptions<AssuranceOptions>()
            .Validate(o => o.GraceDays is >= 0 and <= AssuranceRules.MaxGraceDays,
                $"{AssuranceOptions.SectionName}:{nameof(AssuranceOptions.GraceDays)} must be from 0 to {AssuranceRules.MaxGraceDays} days.");
        services.AddSingleton<SecurityEvents>();
        services.AddHostedService<SecurityEventWriter>();
        services.AddSingleton<ScopeService>();
        // A console without the chain key stops at startup with the message that says what to set.
        services.AddOptions<AuditOptions>().Validate(o => AuditChainKey.Problem(o) is null, "The audit chain key cannot be loaded: set Audit:ChainKey (base64, at least 32 bytes) or Audit:ChainKeyFile.")
            .Validate(o => o.VerifyEvery >= TimeSpan.FromHours(1) && o.VerifyEvery <= TimeSpan.FromDays(7), "Audit:VerifyEvery is 1 hour to 7 days.").ValidateOnStart();
        services.AddSingleton<AuditChainKey>();
        services.AddSingleton<AuditLog>();
        services.AddSingleton<AuditSearch>();
        services.AddSingleton<PersonHistory>();
        services.AddOptions<RetentionOptions>().ValidateOnStart();
        services.AddSingleton<IValidateOptions<RetentionOptions>, RetentionOptionsValidation>();
        services.AddSingleton<RetentionArchive>();
        services.AddSingleton<AccessDecisionService>();
        services.AddSingleton<ApiClientRegistry>();
        services.AddSingleton<ApiClientService>();
        services.AddSingleton<DecisionCalendar>();
        services.AddOptions<WebhookOptions>().Validate(o => o.IsValid, WebhookOptions.Rule);
        services.AddSingleton<WebhookSender>();
        services.AddOptions<MailOptions>().Validate(o => o.IsValid, MailOptions.Rule);
        services.TryAddSingleton<IMailTransport, ConfiguredMailTransport>();
        services.AddSingleton<NotificationMailer>();
        services.AddSingleton<NotificationService>();
        services.AddSingleton<PickupMailbox>();
        // Read on every change that writes a notice, decisions included: a wrong value stops the start, not a decision.
        services.AddOptions<NotificationOptions>().Validate(o => o.IsValid, NotificationOptions.Rule).ValidateOnStart();
        services.AddSingleton<RequestFollowUp>();
        services.AddSingleton<LinkRequestFollowUp>();
        services.AddSingleton<AssuranceReminders>();
        services.AddSingleton<Grants.GrantExpiry>();
        // A receiver is reached only at the address registered: redirects are not followed.
        services.AddHttpClient(WebhookSender.HttpClientName, client => client.Timeout = Timeout.InfiniteTimeSpan)
            .ConfigurePrimaryHttpMessageHandler(() => new SocketsHttpHandler { AllowAutoRedirect = false, PooledConnectionLifetime = TimeSpan.FromMinutes(5) });
        services.AddSingleton<StaffDirectory>();
        services.AddSingleton<SchoolSystemService>();
        services.AddSingleton<LocalDuties.LocalDutiesService>();
        services.AddSingleton<HomeService>();
        AddChangeFeed(services, database);
        services.AddSingleton<AccessRequestService>();
        services.AddSingleton<SharedReads>();
        services.AddSingleton<ApprovalQueue>();
        services.AddSingleton<CoordinatorService>();
        services.AddSingleton<DeputyService>();
        services.AddSingleton<DocumentService>();
        services.AddSingleton<DocumentGenerationLimit>();
        var leases = new Scheduling.JobLeases(database);
        services.AddSingleton(leases);
        services.AddSingleton(new ImportCommitGate(database.ConnectionString, leases));
        services.AddSingleton<StatementService>();
        services.AddSingleton<AssuranceService>();
        services.AddSingleton<AssuranceStatusService>();
        services.AddSingleton<RoleCatalogService>();
        services.AddSingleton<KeyDateService>();
        services.AddSingleton<TasImportService>();
        services.AddSingleton<LegacyMigrationService>();
        services.AddSingleton<ReadinessService>();
        services.AddOptions<AccessReviewOptions>()
            .Validate(o => Enum.IsDefined(o.DefaultAtDueDate) && o.CheckInterval > TimeSpan.Zero,
                $"{AccessReviewOptions.SectionName}: {nameof(AccessReviewOptions.DefaultAtDueDate)} is Flag, End or Keep, and {nameof(AccessReviewOptions.CheckInterval)} is positive.");
        services.AddSingleton<AccessReviewService>();
        services.AddStateAdministration();
        services.AddSingleton<DatabaseInitializer>();
        services.AddDirectoryImports();
        services.AddSignOnLinks();
        services.AddEmployment();
        return services;
    }

    /// <summary>
    /// On PostgreSQL, the feed that carries changes between console instances (with its transport as a hosted service);
    /// on SQLite, which one process serves, the in-process feed. A feed registered beforehand (a test's) is kept.
    /// </summary>
    private static void AddChangeFeed(IServiceCollection services, DatabaseOptions database)
    {
        if (database.DatabaseProvider() == DatabaseProvider.Postgres && !services.Any(s => s.ServiceType == typeof(IAccessChangeFeed)))
        {
            services.AddSingleton<PostgresAccessChangeFeed>();
            services.AddSingleton<IAccessChangeFeed>(provider => provider.GetRequiredService<PostgresAccessChangeFeed>());
            services.AddSingleton(provider => new PostgresChangeTransport(provider.GetRequiredService<PostgresAccessChangeFeed>(),
                provider.GetRequiredService<ScopeService>(), provider.GetRequiredService<ApiClientRegistry>(), database.ConnectionString, provider.GetRequiredService<TimeProvider>(), provider.GetRequiredService<ILogger<PostgresChangeTransport>>()));
            services.AddHostedService(provider => provider.GetRequiredService<PostgresChangeTransport>());
        }
        services.TryAddSingleton<IAccessChangeFeed, InProcessAccessChangeFeed>();
    }

    private static int CommandTimeoutSeconds(DatabaseOptions database) =>
        database.CommandTimeout >= TimeSpan.FromSeconds(1) && database.CommandTimeout <= TimeSpan.FromMinutes(10)
            ? (int)Math.Ceiling(database.CommandTimeout.TotalSeconds)
            : throw new InvalidOperationException(
                $"{DatabaseOptions.SectionName}:{nameof(DatabaseOptions.CommandTimeout)} is {database.CommandTimeout}; use 00:00:01 to 00:10:00.");

    internal static void ConfigureProvider(DbContextOptionsBuilder options, DatabaseOptions database)
    {
        var timeout = CommandTimeoutSeconds(database);
        switch (database.DatabaseProvider())
        {
            case DatabaseProvider.Sqlite:
                options.UseSqlite(database.ConnectionString, sqlite => sqlite.CommandTimeout(timeout))
                    .AddInterceptors(new SqlitePragmaInterceptor(TimeSpan.FromSeconds(timeout)));
                break;
            case DatabaseProvider.Postgres:
                // PostgreSQL's migrations are their own set, generated from the same model (see docs/conventions.md).
                options.UseNpgsql(database.ConnectionString, npgsql => npgsql.CommandTimeout(timeout)
                        .MigrationsAssembly(DatabaseOptions.PostgresMigrationsAssembly))
                    .AddInterceptors(new PostgresTextInterceptor());
                break;
        }
    }
}
