using System.Globalization;
using EserSecurity.Core.Coordinators;
using EserSecurity.Core.Data;
using EserSecurity.Core.Notifications;
using Microsoft.EntityFrameworkCore;

namespace EserSecurity.Core.Reviews;

/// <summary>
/// Who an access review tells, and what: its school system's coordinators and special education supervisors (those who
/// decide its items and sign it off) hear when it opens, seven days before it is due, and when it is overdue.
/// </summary>
internal static class ReviewNotices
{
    /// <summary>How many days before the due date the reminder goes.</summary>
    public const int DueSoonDays = 7;

    private sealed record Review(int Id, int SchoolSystemId, string SchoolSystem, DateOnly DueOn);

    public static Task<IReadOnlyList<int>> OpenedAsync(EserSecurityDbContext db, IReadOnlyCollection<int> reviewIds, DateOnly today, DateTimeOffset now, CancellationToken ct) =>
        NotifyAsync(db, reviewIds, today, now, r => ($"An access review of {r.SchoolSystem} is open: keep or end each role by {Day(r.DueOn)}", null), ct);

    public static Task<IReadOnlyList<int>> DueSoonAsync(EserSecurityDbContext db, IReadOnlyCollection<int> reviewIds, DateOnly today, DateTimeOffset now, CancellationToken ct) =>
        NotifyAsync(db, reviewIds, today, now, r => ($"The access review of {r.SchoolSystem} is due on {Day(r.DueOn)}", $"review:{r.Id}:due-soon"), ct);

    public static Task<IReadOnlyList<int>> OverdueAsync(EserSecurityDbContext db, int reviewId, int undecided, DateOnly today, DateTimeOffset now, CancellationToken ct) =>
        NotifyAsync(db, [reviewId], today, now,
            r => ($"The access review of {r.SchoolSystem} passed its due date ({Day(r.DueOn)}) with {undecided:N0} role{(undecided == 1 ? "" : "s")} undecided", $"review:{r.Id}:overdue"), ct);

    private static async Task<IReadOnlyList<int>> NotifyAsync(
        EserSecurityDbContext db, IReadOnlyCollection<int> reviewIds, DateOnly today, DateTimeOffset now, Func<Review, (string Title, string? Key)> notice, CancellationToken ct)
    {
        var reviews = await db.AccessReviews.AsNoTracking().Where(r => reviewIds.Contains(r.Id))
            .Select(r => new Review(r.Id, r.SchoolSystemId, r.SchoolSystem!.Name, r.DueOn)).ToListAsync(ct);
        var systems = reviews.Select(r => r.SchoolSystemId).Distinct().ToList();
        var coordinators = await db.CoordinatorAssignments.AsNoTracking().ActiveOn(today).Where(a => systems.Contains(a.SchoolSystemId))
            .Select(a => new { a.SchoolSystemId, a.StaffMemberId }).ToListAsync(ct);
        var supervisors = await db.SupervisorAssignments.AsNoTracking().ActiveOn(today).Where(a => systems.Contains(a.SchoolSystemId))
            .Select(a => new { a.SchoolSystemId, a.StaffMemberId }).ToListAsync(ct);
        var reviewers = coordinators.Concat(supervisors).ToLookup(a => a.SchoolSystemId, a => a.StaffMemberId);
        var notified = new List<int>();
        foreach (var review in reviews)
        {
            var (title, key) = notice(review);
            notified.AddRange(await NotificationOutbox.AddAsync(db, reviewers[review.SchoolSystemId],
                new Notice(NotificationKind.AccessReview, title, $"reviews/{review.Id}", key), null, now, ct));
        }
        return notified.Distinct().ToList();
    }

    private static string Day(DateOnly day) => day.ToString("MMMM d, yyyy", CultureInfo.InvariantCulture);
}
