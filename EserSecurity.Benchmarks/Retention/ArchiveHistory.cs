using EserSecurity.Core.AccessRequests;
using EserSecurity.Core.Assurance;
using EserSecurity.Core.Audit;
using EserSecurity.Core.Coordinators;
using EserSecurity.Core.Data;
using EserSecurity.Core.Grants;
using EserSecurity.Core.Provisioning;
using EserSecurity.Core.Roles;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace EserSecurity.Benchmarks.Retention;

/// <summary>
/// Seven school years of ended history for a state of about 30,000 staff, written under the Full demo state: each year
/// 15,000 decided requests (80 % approved, 10 % denied, 10 % withdrawn) with their steps, a grant for each approval that
/// ends within the year with its two decision changes, 300 ended coordinator assignments, a signature of every staff
/// member, and an audit event for each of those changes. The history's audit events come first in the chain (as they
/// would have been written first), and the demo state's events follow them, chained again under the same key.
/// </summary>
internal static class ArchiveHistory
{
    public const int Years = 7;
    public const int RequestsPerYear = 15_000;
    public const int AssignmentsPerYear = 300;

    /// <summary>The first school year of the history; the last ends on June 30, 2026.</summary>
    public const int FirstYear = 2019;

    public sealed record Written(int Requests, int Steps, int Grants, int DecisionChanges, int Assignments, int Signatures, long AuditEvents, long DemoEvents)
    {
        public long Rows => Requests + Steps + Grants + DecisionChanges + Assignments + Signatures + AuditEvents;
    }

    private sealed record Person(int Id, string Name, int SchoolId, int SchoolSystemId);

    public static async Task<Written> WriteAsync(IServiceProvider services, CancellationToken ct)
    {
        var factory = services.GetRequiredService<IDbContextFactory<EserSecurityDbContext>>();
        var key = services.GetRequiredService<AuditChainKey>();
        await using var db = await factory.CreateDbContextAsync(ct);
        db.ChangeTracker.AutoDetectChangesEnabled = false;
        var random = new Random(2019);
        var people = await db.StaffSchools.AsNoTracking()
            .Select(s => new { s.StaffMemberId, s.SchoolId, s.School!.SchoolSystemId, Name = db.StaffMembers.Where(m => m.Id == s.StaffMemberId).Select(m => m.FirstName + " " + m.LastName).First() })
            .ToListAsync(ct);
        var staff = people.GroupBy(p => p.StaffMemberId).Select(g => g.First()).Select(p => new Person(p.StaffMemberId, p.Name, p.SchoolId, p.SchoolSystemId)).ToList();
        var deciders = (await db.CoordinatorAssignments.AsNoTracking().Where(a => a.Coverage == CoordinatorCoverage.SchoolSystem)
            .Select(a => new { a.SchoolSystemId, a.StaffMemberId }).ToListAsync(ct))
            .GroupBy(a => a.SchoolSystemId).ToDictionary(g => g.Key, g => g.First().StaffMemberId);
        var fallbackDecider = staff[0].Id;
        var roles = await db.EserRoles.AsNoTracking().Where(r => r.Level == RoleLevel.School && !r.IsRetired).Select(r => r.Id).ToListAsync(ct);
        var signed = (await db.AssuranceSignatures.AsNoTracking().Select(s => new { s.StaffMemberId, s.SchoolYear }).ToListAsync(ct))
            .Select(s => (s.StaffMemberId, s.SchoolYear)).ToHashSet();

        var requestId = (await db.AccessRequests.MaxAsync(r => (int?)r.Id, ct) ?? 0) + 1;
        var stepId = (await db.AccessRequestSteps.MaxAsync(s => (int?)s.Id, ct) ?? 0) + 1;
        var grantId = (await db.AccessGrants.MaxAsync(g => (int?)g.Id, ct) ?? 0) + 1;
        var changeId = (await db.AccessDecisionChanges.MaxAsync(c => (long?)c.Id, ct) ?? 0) + 1;
        var assignmentId = (await db.CoordinatorAssignments.MaxAsync(a => (int?)a.Id, ct) ?? 0) + 1;
        var signatureId = (await db.AssuranceSignatures.MaxAsync(s => (int?)s.Id, ct) ?? 0) + 1;

        // The demo state's events move behind the history's: read, removed, and chained again after it.
        var demoEvents = await db.AuditEvents.AsNoTracking().OrderBy(e => e.Sequence).ToListAsync(ct);
        await using var transaction = await db.Database.BeginTransactionAsync(ct);
        await db.AuditEvents.ExecuteDeleteAsync(ct);

        var written = new Written(0, 0, 0, 0, 0, 0, 0, demoEvents.Count);
        long sequence = 0;
        var previousHash = AuditLog.GenesisHash;
        AuditEvent Chain(AuditEvent e)
        {
            e.Sequence = ++sequence;
            e.PreviousHash = previousHash;
            e.Hash = AuditLog.ComputeHash(e, key);
            previousHash = e.Hash;
            return e;
        }
        AuditEvent Event(DateTimeOffset at, int? actorId, string actorName, string action, string entityType, int entityId, int? schoolSystemId, string after) => new()
        {
            At = at, ActorId = actorId, ActorName = actorName, Action = action, EntityType = entityType, EntityId = entityId.ToString(System.Globalization.CultureInfo.InvariantCulture),
            SchoolSystemId = schoolSystemId, After = after, PreviousHash = "", Hash = "", Keyed = true,
        };
        var names = staff.ToDictionary(p => p.Id, p => p.Name);
        string NameOf(int id) => names.GetValueOrDefault(id, "Coordinator");

        for (var year = FirstYear; year < FirstYear + Years; year++)
        {
            var schoolYear = new SchoolYear(year);
            var start = new DateTimeOffset(schoolYear.StartsOn.ToDateTime(TimeOnly.MinValue), TimeSpan.Zero);
            var requests = new List<AccessRequest>();
            var steps = new List<AccessRequestStep>();
            var grants = new List<AccessGrant>();
            var changes = new List<AccessDecisionChange>();
            var assignments = new List<CoordinatorAssignment>();
            var signatures = new List<AssuranceSignature>();
            var events = new List<AuditEvent>();
            for (var i = 0; i < RequestsPerYear; i++)
            {
                var person = staff[random.Next(staff.Count)];
                var decider = deciders.GetValueOrDefault(person.SchoolSystemId, fallbackDecider);
                var submitted = start.AddMinutes(random.Next(0, 330 * 24 * 60));
                var closed = submitted.AddMinutes(random.Next(60, 5 * 24 * 60));
                var roll = random.Next(10);
                var status = roll < 8 ? AccessRequestStatus.Approved : roll == 8 ? AccessRequestStatus.Denied : AccessRequestStatus.Withdrawn;
                var request = new AccessRequest
                {
                    Id = requestId++, RequesterId = person.Id, EserRoleId = roles[random.Next(roles.Count)], SchoolSystemId = person.SchoolSystemId,
                    SchoolId = person.SchoolId, Justification = "I enter my students' evaluations.", Status = status, SubmittedAt = submitted,
                    ClosedAt = closed, StageSince = closed,
                };
                requests.Add(request);
                steps.Add(new AccessRequestStep
                {
                    Id = stepId++, AccessRequestId = request.Id, Action = AccessRequestAction.Submitted, FromStatus = AccessRequestStatus.PendingCoordinator,
                    ToStatus = AccessRequestStatus.PendingCoordinator, ActorId = person.Id, At = submitted,
                });
                events.Add(Event(submitted, person.Id, person.Name, "AccessRequest.Submitted", nameof(AccessRequest), request.Id, person.SchoolSystemId,
                    """{"status":"PendingCoordinator","justification":"I enter my students' evaluations."}"""));
                var (action, actor) = status switch
                {
                    AccessRequestStatus.Approved => (AccessRequestAction.CoordinatorApproved, decider),
                    AccessRequestStatus.Denied => (AccessRequestAction.CoordinatorDenied, decider),
                    _ => (AccessRequestAction.Withdrawn, person.Id),
                };
                steps.Add(new AccessRequestStep
                {
                    Id = stepId++, AccessRequestId = request.Id, Action = action, FromStatus = AccessRequestStatus.PendingCoordinator, ToStatus = status,
                    ActorId = actor, At = closed, Reason = status == AccessRequestStatus.Denied ? "Not part of the person's duties." : null,
                });
                events.Add(Event(closed, actor, NameOf(actor), $"AccessRequest.{status}", nameof(AccessRequest), request.Id, person.SchoolSystemId,
                    $$"""{"status":"{{status}}"}"""));
                if (status != AccessRequestStatus.Approved)
                {
                    continue;
                }
                var ended = closed.AddDays(random.Next(30, 200));
                var lastMoment = new DateTimeOffset(schoolYear.EndsOn.ToDateTime(TimeOnly.MinValue), TimeSpan.Zero);
                ended = ended < lastMoment ? ended : lastMoment.AddMinutes(-random.Next(1, 600));
                var grant = new AccessGrant
                {
                    Id = grantId++, StaffMemberId = person.Id, EserRoleId = request.EserRoleId, SchoolSystemId = person.SchoolSystemId, SchoolId = person.SchoolId,
                    Origin = GrantOrigin.Request, AccessRequestId = request.Id, GrantedAt = closed, GrantedById = decider, EndedAt = ended, EndedById = decider,
                    EndReason = GrantEndReason.Manual, EndNote = "No longer enters evaluations.",
                };
                grants.Add(grant);
                changes.Add(new AccessDecisionChange { Id = changeId++, At = closed, Kind = AccessDecisionChangeKind.Granted, StaffMemberId = person.Id, AccessGrantId = grant.Id });
                changes.Add(new AccessDecisionChange { Id = changeId++, At = ended, Kind = AccessDecisionChangeKind.Ended, StaffMemberId = person.Id, AccessGrantId = grant.Id, Reason = nameof(GrantEndReason.Manual) });
                events.Add(Event(closed, decider, NameOf(decider), "AccessGrant.Created", nameof(AccessGrant), grant.Id, person.SchoolSystemId,
                    $$"""{"staffMemberId":{{person.Id}},"eserRoleId":{{grant.EserRoleId}},"schoolId":{{person.SchoolId}}}"""));
                events.Add(Event(ended, decider, NameOf(decider), "AccessGrant.Ended", nameof(AccessGrant), grant.Id, person.SchoolSystemId,
                    """{"endReason":"Manual","endNote":"No longer enters evaluations."}"""));
            }
            for (var i = 0; i < AssignmentsPerYear; i++)
            {
                var person = staff[random.Next(staff.Count)];
                var decider = deciders.GetValueOrDefault(person.SchoolSystemId, fallbackDecider);
                var from = start.AddDays(random.Next(0, 120));
                var to = from.AddDays(random.Next(30, 200));
                var assignment = new CoordinatorAssignment
                {
                    Id = assignmentId++, StaffMemberId = person.Id, SchoolSystemId = person.SchoolSystemId, Coverage = CoordinatorCoverage.School, SchoolId = person.SchoolId,
                    StartsOn = DateOnly.FromDateTime(from.UtcDateTime), EndedAt = to, EndedById = decider, EndReason = "Took another post.",
                };
                assignments.Add(assignment);
                events.Add(Event(from, decider, NameOf(decider), "Coordinator.Assigned", nameof(CoordinatorAssignment), assignment.Id, person.SchoolSystemId,
                    $$"""{"staffMemberId":{{person.Id}},"schoolId":{{person.SchoolId}}}"""));
                events.Add(Event(to, decider, NameOf(decider), "Coordinator.Ended", nameof(CoordinatorAssignment), assignment.Id, person.SchoolSystemId,
                    """{"reason":"Took another post."}"""));
            }
            var statement = await db.StatementVersions.AsNoTracking().Where(v => v.SchoolYear == year).OrderBy(v => v.VersionNumber).FirstOrDefaultAsync(ct);
            if (statement is null)
            {
                statement = new StatementVersion
                {
                    SchoolYear = year, VersionNumber = 1, Title = "Confidentiality Assurance Statement", Body = "I keep students' records confidential.",
                    Acknowledgements = "I access records only for my duties.", Status = StatementStatus.Published, PublishedAt = start,
                };
                db.StatementVersions.Add(statement);
                await db.SaveChangesAsync(ct);
            }
            foreach (var person in staff.Where(p => !signed.Contains((p.Id, year))))
            {
                var at = start.AddMinutes(random.Next(0, 90 * 24 * 60));
                var signature = new AssuranceSignature
                {
                    Id = signatureId++, StaffMemberId = person.Id, StatementVersionId = statement.Id, SchoolYear = year, SignedAt = at, TypedName = person.Name,
                    Acknowledgements = statement.Acknowledgements, TextHash = new string('0', 64), VerificationCode = $"BENCH-{year}-{person.Id:000000}",
                    ClientAddress = "10.0.0.1", UserAgent = "Mozilla/5.0 (Windows NT 10.0; Win64; x64)",
                };
                signatures.Add(signature);
                events.Add(Event(at, person.Id, person.Name, "Assurance.Signed", nameof(AssuranceSignature), signature.Id, null,
                    $$"""{"schoolYear":{{year}},"verificationCode":"{{signature.VerificationCode}}"}"""));
            }

            var chained = events.OrderBy(e => e.At).Select(Chain).ToList();
            await RowInserter.InsertAsync(db, requests, keysFromStore: false, progress: null, ct);
            await RowInserter.InsertAsync(db, steps, keysFromStore: false, progress: null, ct);
            await RowInserter.InsertAsync(db, grants, keysFromStore: false, progress: null, ct);
            await RowInserter.InsertAsync(db, changes, keysFromStore: false, progress: null, ct);
            await RowInserter.InsertAsync(db, assignments, keysFromStore: false, progress: null, ct);
            await RowInserter.InsertAsync(db, signatures, keysFromStore: false, progress: null, ct);
            await RowInserter.InsertAsync(db, chained, keysFromStore: false, progress: null, ct);
            written = written with
            {
                Requests = written.Requests + requests.Count, Steps = written.Steps + steps.Count, Grants = written.Grants + grants.Count,
                DecisionChanges = written.DecisionChanges + changes.Count, Assignments = written.Assignments + assignments.Count,
                Signatures = written.Signatures + signatures.Count, AuditEvents = written.AuditEvents + chained.Count,
            };
        }

        var history = sequence;
        await RowInserter.InsertAsync(db, demoEvents.Select(Chain).ToList(), keysFromStore: false, progress: null, ct);
        await db.AuditChainHeads.ExecuteUpdateAsync(s => s.SetProperty(h => h.LastSequence, sequence).SetProperty(h => h.LastHash, previousHash), ct);
        await transaction.CommitAsync(ct);
        return written with { AuditEvents = history };
    }
}
