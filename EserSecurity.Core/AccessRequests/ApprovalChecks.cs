using EserSecurity.Core.Assurance;

namespace EserSecurity.Core.AccessRequests;

/// <summary>What an approval or an endorsement re-checks about a request at the moment it is taken.</summary>
/// <param name="RequesterName">The requester's full name, for the messages.</param>
/// <param name="RequesterStaffId">The requester's Staff ID, so a refusal for the assurance can link their status.</param>
/// <param name="RequesterActive">Whether the requester's employment is active.</param>
/// <param name="RequesterInSchoolSystem">Whether the requester is still staff of the request's school system.</param>
/// <param name="RoleName">The role's name.</param>
/// <param name="RoleRetired">Whether the role has been retired from the catalog since the request.</param>
/// <param name="GrantsIepForms">Whether the role includes IEP Forms.</param>
/// <param name="SignedThisYear">Whether the requester signed this school year's assurance.</param>
/// <param name="ApprovedOrMigratedBy">Who approved the request as coordinator or opened it in the TAS migration.</param>
public sealed record ApprovalFacts(
    string RequesterName,
    string RequesterStaffId,
    bool RequesterActive,
    bool RequesterInSchoolSystem,
    string RoleName,
    bool RoleRetired,
    bool GrantsIepForms,
    bool SignedThisYear,
    IReadOnlyList<int> ApprovedOrMigratedBy);

/// <summary>
/// The rules every approval and endorsement re-checks: the requester is still active staff of the school system, the
/// role is still offered, an IEP Forms role waits for this school year's assurance, and the two people of an IEP
/// Forms approval are two different people.
/// </summary>
public static class ApprovalChecks
{
    /// <summary>Refuses the approval or endorsement when the requester or the role no longer qualifies.</summary>
    public static void DemandApprovable(ApprovalFacts facts, DateOnly today)
    {
        if (!facts.RequesterActive)
        {
            throw new AccessRequestRefusedException(
                $"{facts.RequesterName} is no longer active staff, so this request cannot be approved. Deny it with that reason.");
        }
        if (!facts.RequesterInSchoolSystem)
        {
            throw new AccessRequestRefusedException(
                $"{facts.RequesterName} is no longer staff of this school system, so this request cannot be approved here. Deny it with that reason.");
        }
        if (facts.RoleRetired)
        {
            throw new AccessRequestRefusedException(
                $"{facts.RoleName} has been retired from the role catalog, so it cannot be granted any more. Deny the request and ask for a current role.");
        }
        if (facts.GrantsIepForms && !facts.SignedThisYear)
        {
            throw new AccessRequestRefusedException(
                $"{facts.RequesterName} has not signed the {SchoolYear.Containing(today).Label} confidentiality assurance, and {facts.RoleName} includes IEP Forms: it can be approved once they sign.",
                facts.RequesterStaffId);
        }
    }

    /// <summary>Refuses an endorsement by the person who approved the request or opened it in the TAS migration.</summary>
    public static void DemandEndorsableBy(ApprovalFacts facts, int supervisorId)
    {
        if (facts.ApprovedOrMigratedBy.Contains(supervisorId))
        {
            throw new AccessRequestRefusedException(
                "You approved this request as coordinator (or migrated it from TAS), so you cannot also endorse it: IEP Forms access needs two different people. Another supervisor must endorse it.");
        }
    }
}
