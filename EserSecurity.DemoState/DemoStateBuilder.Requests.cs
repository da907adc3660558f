using EserSecurity.Core.AccessRequests;
using EserSecurity.Core.Grants;
using EserSecurity.Core.Reviews;
using EserSecurity.Core.Roles;
using EserSecurity.Core.SchoolSystems;

namespace EserSecurity.DemoState;

/// <summary>Access requests with their history, grants and the demo LEA's access review.</summary>
internal sealed partial class DemoStateBuilder
{
    private void AddAccess(Lea lea)
    {
        lea.MigratedAt = At(_today.AddDays(-_random.Int(30, 75)), _random.Double(13, 20));
        var pendingShare = lea.Spec.Code == DemoSchoolSystemCode ? _profile.DemoPendingShare : _profile.PendingShare;
        foreach (var person in lea.Staff)
        {
            if (person.IsDemo)
            {
                continue;
            }
            var wants = Wants(person, lea);
            if (!person.IsActive)
            {
                foreach (var want in wants)
                {
                    AddFormerAccess(person, lea, want);
                }
                continue;
            }
            foreach (var want in wants)
            {
                var deciders = Deciders(lea, want.School, person);
                var supervisorId = lea.SupervisorId is int s && s != person.Id ? s : (int?)null;
                var canBeApproved = person.IsLinked && deciders.Count > 0 && (!want.Role.GrantsIepForms || supervisorId is not null);
                var roll = _random.Double();
                if (roll < _profile.GrantShare)
                {
                    if (person.HeldInTas(want, _tasRolesById) && (!canBeApproved || _random.Bool(0.45f)))
                    {
                        person.ActiveGrants.Add(AddGrant(person, lea, want, GrantOrigin.TasMigration, lea.MigratedAt, null, null));
                    }
                    else if (canBeApproved)
                    {
                        AddApproved(person, lea, want, deciders, supervisorId);
                    }
                }
                else if (roll < _profile.GrantShare + pendingShare && person.IsLinked)
                {
                    if (want.Role.GrantsIepForms && deciders.Count > 0 && supervisorId is not null && _random.Bool(0.35f))
                    {
                        var submittedAt = SubmittedDaysAgo(Math.Max(0.5, 40 * Math.Pow(_random.Double(), 1.6)));
                        var request = NewRequest(person, lea, want, submittedAt);
                        AddStep(request, AccessRequestAction.CoordinatorApproved, AccessRequestStatus.PendingSupervisor,
                            Pick(deciders), Later(submittedAt, 4));
                    }
                    else
                    {
                        NewRequest(person, lea, want, SubmittedDaysAgo(40 * Math.Pow(_random.Double(), 1.6)));
                    }
                    person.HasPendingRequest = true;
                }
            }
            if (!person.IsLinked)
            {
                continue;
            }
            var primaryDeciders = Deciders(lea, person.Schools[0], person);
            if (primaryDeciders.Count > 0 && _random.Bool(0.03f))
            {
                AddDenied(person, lea, wants);
            }
            if (_random.Bool(0.02f))
            {
                AddWithdrawn(person, lea, wants.Count > 0 ? wants[0] : DefaultWant(person));
            }
            if (person.ActiveGrants.Count > 0 && _random.Bool(0.015f))
            {
                AddReplacedGrant(person, lea, person.ActiveGrants[0]);
            }
        }
    }

    /// <summary>The role and scope a person needs: what they held in TAS, or for some, what their position calls for.</summary>
    private List<Want> Wants(Person person, Lea lea)
    {
        var wants = new List<Want>();
        foreach (var row in person.Legacy)
        {
            var tasRole = _tasRolesById[row.TasRoleId];
            if (tasRole.EserRoleId is not int roleId)
            {
                continue;
            }
            var want = new Want(_data.EserRoles[roleId - 1], row.SchoolId is int schoolId ? _data.Schools[schoolId - 1] : null);
            if (!wants.Contains(want))
            {
                wants.Add(want);
            }
        }
        if (wants.Count == 0)
        {
            // Without a TAS row: people with unmapped TAS roles still need a role; in an LEA whose TAS report
            // is missing everyone is a candidate; elsewhere, a few staff are new to SER.
            var share = person.Legacy.Count > 0 ? 0.9
                : lea.TasImportedAt is null || !person.IsActive ? person.Position.SerShare
                : _profile.NewToSerShare;
            if (_random.Bool((float)share))
            {
                wants.Add(DefaultWant(person));
            }
        }
        return wants;
    }

    private Want DefaultWant(Person person)
    {
        var roleId = person.Position.TasRoles.Select(n => _tasRoles[n].EserRoleId).First(id => id is not null)!.Value;
        var role = _data.EserRoles[roleId - 1];
        return new Want(role, role.Level == RoleLevel.School ? person.Schools[0] : null);
    }

    private List<int> Deciders(Lea lea, School? school, Person requester)
    {
        var deciders = new List<int>(lea.DistrictCoordinatorIds);
        if (school is not null && lea.LocalCoordinatorIdsBySchool.TryGetValue(school.Id, out var local))
        {
            deciders.AddRange(local);
        }
        deciders.RemoveAll(id => id == requester.Id);
        return deciders;
    }

    private void AddApproved(Person person, Lea lea, Want want, List<int> deciders, int? supervisorId)
    {
        var submittedAt = SubmittedDaysAgo(_random.Double(8, 110));
        var request = NewRequest(person, lea, want, submittedAt);
        var decidedAt = Later(submittedAt, 6);
        var coordinatorId = Pick(deciders);
        if (want.Role.GrantsIepForms)
        {
            AddStep(request, AccessRequestAction.CoordinatorApproved, AccessRequestStatus.PendingSupervisor, coordinatorId, decidedAt);
            var endorsedAt = Later(decidedAt, 5);
            AddStep(request, AccessRequestAction.SupervisorEndorsed, AccessRequestStatus.Approved, supervisorId, endorsedAt);
            person.ActiveGrants.Add(AddGrant(person, lea, want, GrantOrigin.Request, endorsedAt, supervisorId, request.Id));
        }
        else
        {
            AddStep(request, AccessRequestAction.CoordinatorApproved, AccessRequestStatus.Approved, coordinatorId, decidedAt);
            person.ActiveGrants.Add(AddGrant(person, lea, want, GrantOrigin.Request, decidedAt, coordinatorId, request.Id));
        }
    }

    /// <summary>A request for a role the person's duties do not call for, or at a school they do not work at.</summary>
    private void AddDenied(Person person, Lea lea, List<Want> wants)
    {
        var role = Pick(_data.EserRoles.Where(r => wants.All(w => w.Role != r)).ToList());
        var wrongSchool = role.Level == RoleLevel.School && lea.Schools.Count > person.Schools.Count && _random.Bool(0.3f);
        var school = role.Level == RoleLevel.SchoolSystem ? null
            : wrongSchool ? Pick(lea.Schools.Where(s => !person.Schools.Contains(s)).ToList())
            : person.Schools[0];
        var deciders = Deciders(lea, school, person);
        if (deciders.Count == 0)
        {
            return;
        }
        var want = new Want(role, school);
        var submittedAt = SubmittedDaysAgo(_random.Double(2, 90));
        var request = NewRequest(person, lea, want, submittedAt);
        var decidedAt = Later(submittedAt, 5);
        if (role.GrantsIepForms && !wrongSchool && lea.SupervisorId is int supervisorId && supervisorId != person.Id && _random.Bool(0.4f))
        {
            AddStep(request, AccessRequestAction.CoordinatorApproved, AccessRequestStatus.PendingSupervisor, Pick(deciders), decidedAt);
            AddStep(request, AccessRequestAction.SupervisorDenied, AccessRequestStatus.Denied, supervisorId,
                Later(decidedAt, 4), Pick(DemoCatalog.SupervisorDenialReasons));
        }
        else
        {
            var reason = wrongSchool ? DemoCatalog.CoordinatorDenialReasons[1]
                : Pick(DemoCatalog.CoordinatorDenialReasons.Where((_, i) => i != 1).ToList());
            AddStep(request, AccessRequestAction.CoordinatorDenied, AccessRequestStatus.Denied, Pick(deciders), decidedAt, reason);
        }
    }

    private void AddWithdrawn(Person person, Lea lea, Want want)
    {
        var submittedAt = SubmittedDaysAgo(_random.Double(1, 60));
        var request = NewRequest(person, lea, want, submittedAt);
        var reason = _random.Bool(0.6f) ? Pick(DemoCatalog.WithdrawalReasons) : null;
        AddStep(request, AccessRequestAction.Withdrawn, AccessRequestStatus.Withdrawn, person.Id, Later(submittedAt, 4), reason);
    }

    /// <summary>An earlier grant ended when the person's duties changed or a coordinator corrected it.</summary>
    private void AddReplacedGrant(Person person, Lea lea, AccessGrant current)
    {
        var currentRole = _data.EserRoles[current.EserRoleId - 1];
        var earlierRole = Pick(_data.EserRoles.Where(r => r.Level == currentRole.Level && r != currentRole && !r.GrantsIepForms).ToList());
        var school = current.SchoolId is int schoolId ? _data.Schools[schoolId - 1] : null;
        var grant = AddGrant(person, lea, new Want(earlierRole, school), GrantOrigin.TasMigration, lea.MigratedAt, null, null);
        var (reason, note) = Pick(DemoCatalog.GrantEndings);
        grant.EndedAt = Later(lea.MigratedAt, 25);
        grant.EndedById = lea.DistrictCoordinatorIds.Count > 0 ? lea.DistrictCoordinatorIds[0] : StateAdmin.Id;
        grant.EndReason = reason;
        grant.EndNote = note;
    }

    /// <summary>For someone who has left: the migrated grant ended with their employment, or their request was cancelled.</summary>
    private void AddFormerAccess(Person person, Lea lea, Want want)
    {
        var endedOn = person.Member.EmploymentEndedOn!.Value;
        var endedAt = At(endedOn, 16);
        var roll = _random.Double();
        if (roll < 0.55 && endedAt > lea.MigratedAt)
        {
            var grant = AddGrant(person, lea, want, GrantOrigin.TasMigration, lea.MigratedAt, null, null);
            grant.EndedAt = endedAt;
            grant.EndedById = lea.DistrictCoordinatorIds.Count > 0 ? lea.DistrictCoordinatorIds[0] : StateAdmin.Id;
            grant.EndReason = GrantEndReason.EmploymentEnded;
            grant.EndNote = "Employment ended.";
        }
        else if (roll < 0.75 && person.IsLinked)
        {
            var request = NewRequest(person, lea, want, endedAt.AddDays(-_random.Double(2, 30)));
            AddStep(request, AccessRequestAction.Cancelled, AccessRequestStatus.Cancelled, null, endedAt, "Employment ended.");
        }
    }

    /// <summary>
    /// Requests that have waited long were followed up by the console as it ran (with the default stale and escalation
    /// ages): a new console starts without a burst of old reminders, and the queue shows which requests were escalated.
    /// </summary>
    private void MarkFollowedUp(DateTimeOffset asOf)
    {
        var staleDays = new QueueOptions().StaleAfterDays;
        var escalateDays = new Core.Notifications.NotificationOptions().EscalateAfterDays;
        foreach (var request in _data.AccessRequests.Where(r => r.Status is AccessRequestStatus.PendingCoordinator or AccessRequestStatus.PendingSupervisor))
        {
            (request.FollowUp, request.FollowedUpAt) = RequestFollowUp.DueAt(request.StageSince, asOf, staleDays, escalateDays);
        }
    }

    private AccessRequest NewRequest(Person requester, Lea lea, Want want, DateTimeOffset submittedAt)
    {
        var place = want.School?.Name ?? lea.System.Name;
        if (want.Role.GrantsIepForms && (requester.IepFormsRequestedAt is not { } earlier || submittedAt < earlier))
        {
            requester.IepFormsRequestedAt = submittedAt;
        }
        var request = AccessRequest.Open(requester.Id, want.Role.Id, lea.System.Id, want.School?.Id,
            Justification(requester, want).Replace("{school}", place, StringComparison.Ordinal), submittedAt);
        request.Id = _data.AccessRequests.Count + 1;
        request.ConcurrencyToken = _random.Uuid();
        _data.AccessRequests.Add(request);
        // The rows insert without navigation fix-up, so the opening step joins the other steps with its keys.
        var submitted = request.Steps.Single();
        request.Steps.Clear();
        submitted.Id = _data.AccessRequestSteps.Count + 1;
        submitted.AccessRequestId = request.Id;
        _data.AccessRequestSteps.Add(submitted);
        return request;
    }

    private string Justification(Person requester, Want want)
    {
        var reasons = DemoCatalog.Justifications[want.Role.Code];
        var fitting = reasons.Where(r => r.Positions.Contains(requester.Position.Name)).ToList();
        return Pick(fitting.Count > 0 ? fitting : reasons.Where(r => r.Positions.Length == 0).ToList()).Text;
    }

    private void AddStep(
        AccessRequest request, AccessRequestAction action, AccessRequestStatus to, int? actorId, DateTimeOffset at, string? reason = null)
    {
        _data.AccessRequestSteps.Add(new AccessRequestStep
        {
            Id = _data.AccessRequestSteps.Count + 1,
            AccessRequestId = request.Id,
            Action = action,
            FromStatus = request.Status,
            ToStatus = to,
            ActorId = actorId,
            At = at,
            Reason = reason,
        });
        request.Status = to;
        request.StageSince = at;
        if (to is not (AccessRequestStatus.PendingCoordinator or AccessRequestStatus.PendingSupervisor))
        {
            request.ClosedAt = at;
        }
    }

    private AccessGrant AddGrant(Person person, Lea lea, Want want, GrantOrigin origin, DateTimeOffset at, int? grantedById, int? requestId)
    {
        var grant = new AccessGrant
        {
            Id = _data.AccessGrants.Count + 1,
            StaffMemberId = person.Id,
            EserRoleId = want.Role.Id,
            SchoolSystemId = lea.System.Id,
            SchoolId = want.School?.Id,
            Origin = origin,
            AccessRequestId = requestId,
            GrantedAt = at,
            GrantedById = grantedById,
            ConcurrencyToken = _random.Uuid(),
        };
        _data.AccessGrants.Add(grant);
        return grant;
    }

    private void AddDemoPeopleAccess()
    {
        var lea = _leas.Single(l => l.Spec.Code == DemoSchoolSystemCode);
        var districtCoordinator = DemoPerson(DemoPeople.DistrictCoordinator);
        var districtCoordinator2 = DemoPerson(DemoPeople.DistrictCoordinator2);
        var localCoordinator = DemoPerson(DemoPeople.LocalCoordinator);
        var supervisor = DemoPerson(DemoPeople.SpedSupervisor);

        districtCoordinator.ActiveGrants.Add(AddGrant(districtCoordinator, lea,
            new Want(_roles[DemoCatalog.LeaDataManager], null), GrantOrigin.TasMigration, lea.MigratedAt, null, null));
        localCoordinator.ActiveGrants.Add(AddGrant(localCoordinator, lea,
            new Want(_roles[DemoCatalog.ReadOnlyViewer], lea.Schools[1]), GrantOrigin.TasMigration, lea.MigratedAt, null, null));
        supervisor.ActiveGrants.Add(AddGrant(supervisor, lea,
            new Want(_roles[DemoCatalog.IepFormsSupervisor], null), GrantOrigin.TasMigration, lea.MigratedAt, null, null));

        var reports = new Want(_roles[DemoCatalog.LeaReports], null);
        var submittedAt = At(_today.AddDays(-50), 15.5);
        var request = NewRequest(districtCoordinator2, lea, reports, submittedAt);
        var approvedAt = submittedAt.AddHours(20);
        AddStep(request, AccessRequestAction.CoordinatorApproved, AccessRequestStatus.Approved, districtCoordinator.Id, approvedAt);
        districtCoordinator2.ActiveGrants.Add(AddGrant(districtCoordinator2, lea, reports, GrantOrigin.Request, approvedAt, districtCoordinator.Id, request.Id));
    }

    private void AddReview()
    {
        var lea = _leas.Single(l => l.Spec.Code == DemoSchoolSystemCode);
        var districtCoordinators = new[] { DemoPerson(DemoPeople.DistrictCoordinator).Id, DemoPerson(DemoPeople.DistrictCoordinator2).Id };
        var startedAt = At(_today.AddDays(-9), 15);
        var review = new AccessReview
        {
            Id = 1,
            SchoolSystemId = lea.System.Id,
            Kind = AccessReviewKind.Semiannual,
            DueOn = _today.AddDays(21),
            Status = AccessReviewStatus.Open,
            StartedAt = startedAt,
            StartedById = districtCoordinators[0],
        };
        _data.AccessReviews.Add(review);
        var demoIds = _demo.Values.Select(p => p.Id).ToHashSet();
        var iepRoleIds = _roles.Values.Where(r => r.GrantsIepForms).Select(r => r.Id).ToHashSet();
        var grants = _data.AccessGrants
            .Where(g => g.SchoolSystemId == lea.System.Id && g.EndedAt is null && g.GrantedAt < startedAt && !demoIds.Contains(g.StaffMemberId))
            .ToList();
        foreach (var grant in _random.Shuffle(grants).ToList().Take(_profile.ReviewItems).OrderBy(g => g.Id))
        {
            var item = new AccessReviewItem
            {
                Id = _data.AccessReviewItems.Count + 1,
                AccessReviewId = review.Id,
                AccessGrantId = grant.Id,
                Decision = AccessReviewDecision.Undecided,
                NeedsSupervisor = iepRoleIds.Contains(grant.EserRoleId),
            };
            var roll = _random.Double();
            if (roll < 0.45)
            {
                item.Decision = roll < 0.05 ? AccessReviewDecision.Revoke : AccessReviewDecision.Keep;
                item.DecidedById = Pick(districtCoordinators);
                item.DecidedAt = Later(startedAt, 6);
                item.Note = item.Decision == AccessReviewDecision.Revoke ? "No longer needs this access; confirmed with the principal." : null;
            }
            _data.AccessReviewItems.Add(item);
        }
    }
}
