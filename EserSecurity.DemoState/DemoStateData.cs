using EserSecurity.Core.AccessRequests;
using EserSecurity.Core.Assurance;
using EserSecurity.Core.Coordinators;
using EserSecurity.Core.Grants;
using EserSecurity.Core.KeyDates;
using EserSecurity.Core.Reviews;
using EserSecurity.Core.Roles;
using EserSecurity.Core.SchoolSystems;
using EserSecurity.Core.Staff;

namespace EserSecurity.DemoState;

/// <summary>
/// The demo state as plain rows with their keys already assigned, so they insert in dependency order without
/// navigation fix-up or key round trips. Navigation collections are left empty on purpose.
/// </summary>
internal sealed class DemoStateData
{
    public List<SchoolSystem> SchoolSystems { get; } = [];
    public List<School> Schools { get; } = [];
    public List<StaffMember> StaffMembers { get; } = [];
    public List<StaffSchool> StaffSchools { get; } = [];
    public List<EserRole> EserRoles { get; } = [];
    public List<TasRole> TasRoles { get; } = [];
    public List<LegacySerAccess> LegacySerAccess { get; } = [];
    public List<SchoolGroup> SchoolGroups { get; } = [];
    public List<SchoolGroupMember> SchoolGroupMembers { get; } = [];
    public List<CoordinatorAssignment> CoordinatorAssignments { get; } = [];
    public List<SupervisorAssignment> SupervisorAssignments { get; } = [];
    public List<StateAdministratorAssignment> StateAdministrators { get; } = [];
    public List<Deputyship> Deputyships { get; } = [];
    public List<AccessRequest> AccessRequests { get; } = [];
    public List<AccessRequestStep> AccessRequestSteps { get; } = [];
    public List<AccessGrant> AccessGrants { get; } = [];
    public List<AccessReview> AccessReviews { get; } = [];
    public List<AccessReviewItem> AccessReviewItems { get; } = [];
    public List<StatementVersion> StatementVersions { get; } = [];
    public List<AssuranceSignature> AssuranceSignatures { get; } = [];
    public List<KeyDate> KeyDates { get; } = [];
    public List<Core.Notifications.Notification> Notifications { get; } = [];
}
