using EserSecurity.Core.AccessRequests;
using EserSecurity.Core.Assurance;
using EserSecurity.Core.Audit;
using EserSecurity.Core.Coordinators;
using EserSecurity.Core.Directories;
using EserSecurity.Core.Employment;
using EserSecurity.Core.Grants;
using EserSecurity.Core.Identity;
using EserSecurity.Core.KeyDates;
using EserSecurity.Core.Notifications;
using EserSecurity.Core.Provisioning;
using EserSecurity.Core.Reviews;
using EserSecurity.Core.Roles;
using EserSecurity.Core.SchoolSystems;
using EserSecurity.Core.Staff;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Storage.ValueConversion;

namespace EserSecurity.Core.Data;

public class EserSecurityDbContext(DbContextOptions<EserSecurityDbContext> options) : DbContext(options)
{
    public DbSet<SchoolSystem> SchoolSystems => Set<SchoolSystem>();
    public DbSet<School> Schools => Set<School>();
    public DbSet<StaffMember> StaffMembers => Set<StaffMember>();
    public DbSet<StaffSchool> StaffSchools => Set<StaffSchool>();
    public DbSet<EserRole> EserRoles => Set<EserRole>();
    public DbSet<TasRole> TasRoles => Set<TasRole>();
    public DbSet<LegacySerAccess> LegacySerAccess => Set<LegacySerAccess>();
    public DbSet<AccessRequest> AccessRequests => Set<AccessRequest>();
    public DbSet<AccessRequestStep> AccessRequestSteps => Set<AccessRequestStep>();
    public DbSet<AccessGrant> AccessGrants => Set<AccessGrant>();
    public DbSet<CoordinatorAssignment> CoordinatorAssignments => Set<CoordinatorAssignment>();
    public DbSet<SchoolGroup> SchoolGroups => Set<SchoolGroup>();
    public DbSet<SchoolGroupMember> SchoolGroupMembers => Set<SchoolGroupMember>();
    public DbSet<SupervisorAssignment> SupervisorAssignments => Set<SupervisorAssignment>();
    public DbSet<SeparationException> SeparationExceptions => Set<SeparationException>();
    public DbSet<LocalDuties.LocalPolicyDocument> LocalPolicyDocuments => Set<LocalDuties.LocalPolicyDocument>();
    public DbSet<LocalDuties.LocalTrainingSession> LocalTrainingSessions => Set<LocalDuties.LocalTrainingSession>();
    public DbSet<LocalDuties.LocalTrainingAttendee> LocalTrainingAttendees => Set<LocalDuties.LocalTrainingAttendee>();
    public DbSet<StateAdministratorAssignment> StateAdministrators => Set<StateAdministratorAssignment>();
    public DbSet<StatementVersion> StatementVersions => Set<StatementVersion>();
    public DbSet<AssuranceSignature> AssuranceSignatures => Set<AssuranceSignature>();
    public DbSet<AccessReview> AccessReviews => Set<AccessReview>();
    public DbSet<AccessReviewItem> AccessReviewItems => Set<AccessReviewItem>();
    public DbSet<AuditEvent> AuditEvents => Set<AuditEvent>();
    public DbSet<AuditChainHead> AuditChainHeads => Set<AuditChainHead>();
    public DbSet<AuditVerification> AuditVerifications => Set<AuditVerification>();
    public DbSet<KeyDate> KeyDates => Set<KeyDate>();
    public DbSet<DirectoryImport> DirectoryImports => Set<DirectoryImport>();
    public DbSet<StaffDirectoryChange> StaffDirectoryChanges => Set<StaffDirectoryChange>();

    // Sign-on links (issue 13, part 3): accounts linked to staff records, sign-in sessions and link requests.
    public DbSet<SignOnIdentity> SignOnIdentities => Set<SignOnIdentity>();
    public DbSet<SignInSession> SignInSessions => Set<SignInSession>();
    public DbSet<LinkRequest> LinkRequests => Set<LinkRequest>();

    // The key ring of the session cookies, shared by every console instance (issue 15).
    public DbSet<SignInKey> SignInKeys => Set<SignInKey>();

    // Leavers and movers (issue 14): grants at schools a person left, waiting for a coordinator to keep or end them.
    public DbSet<ChangeOfDutiesItem> ChangeOfDutiesItems => Set<ChangeOfDutiesItem>();

    // The access API (issue 16): every change to a decision in commit order, the clients that read them, day-driven transitions.
    public DbSet<AccessDecisionChange> AccessDecisionChanges => Set<AccessDecisionChange>();
    public DbSet<ApiClient> ApiClients => Set<ApiClient>();

    public DbSet<Notification> Notifications => Set<Notification>();

    public DbSet<NotificationPreference> NotificationPreferences => Set<NotificationPreference>();
    public DbSet<DecisionTransition> DecisionTransitions => Set<DecisionTransition>();

    public DbSet<Deputyship> Deputyships => Set<Deputyship>();

    public DbSet<Retention.ArchiveBatch> ArchiveBatches => Set<Retention.ArchiveBatch>();

    protected override void OnModelCreating(ModelBuilder modelBuilder)
    {
        modelBuilder.ApplyConfigurationsFromAssembly(typeof(EserSecurityDbContext).Assembly);
        if (Database.IsNpgsql())
        {
            PostgresNames.QuoteCheckConstraints(modelBuilder);
        }
    }

    protected override void ConfigureConventions(ModelConfigurationBuilder configurationBuilder)
    {
        // Enums are stored by name so the database reads on its own and survives reordering.
        configurationBuilder.Properties<Enum>().HaveConversion<string>().HaveMaxLength(40);

        if (Database.IsSqlite())
        {
            // SQLite cannot order or compare DateTimeOffset text; all times are UTC, so the binary form sorts correctly.
            configurationBuilder.Properties<DateTimeOffset>().HaveConversion<DateTimeOffsetToBinaryConverter>();
            configurationBuilder.Properties<DateTimeOffset?>().HaveConversion<DateTimeOffsetToBinaryConverter>();
        }
    }
}
