using Bunit;
using EserSecurity.Core.Assurance;
using EserSecurity.Core.Reviews;
using EserSecurity.Dashboard.Components.Pages.Assurance;
using EserSecurity.Dashboard.Components.Pages.LocalDuties;
using EserSecurity.Dashboard.Components.Pages.People;
using EserSecurity.Dashboard.Components.Pages.Readiness;
using EserSecurity.Dashboard.Components.Pages.Reviews;
using EserSecurity.Dashboard.Components.Pages.Tas;
using EserSecurity.Tests.Support;
using Microsoft.AspNetCore.Components;
using Microsoft.EntityFrameworkCore;
using MudBlazor;

namespace EserSecurity.Tests.Dashboard.Pages;

/// <summary>
/// Every routable page that takes an id, for every role, opened with an id of school system B and with an id that does
/// not exist: a message in the page (not an error, not a blank), the same for both, and nothing of B's people.
/// </summary>
public sealed class IdPageReachTests
{
    public enum Role { StateAdmin, DistrictA, LocalA, SupervisorA, UserA1 }

    private const int Missing = 987_654;

    private sealed record Ids(int LeaB, int ReviewOfB, int StatementVersion, string StaffIdOfB, int PersonOfB);

    /// <summary>Each page rendered for an id; the int is school system B's id of the right kind, or <see cref="Missing"/>.</summary>
    private static readonly Dictionary<string, (Func<Ids, int> OfB, Func<BunitContext, Ids, int, (string Message, string Markup)> Render)> Pages = new()
    {
        ["/people/{id}"] = (i => i.PersonOfB, (ctx, _, id) => Render<PersonPage>(ctx, p => p.Add(x => x.Id, id))),
        ["/people/staff-id/{staffId}"] = (i => i.PersonOfB, (ctx, i, id) => Render<PersonPage>(ctx, p => p.Add(x => x.StaffId, id == Missing ? "98765432" : i.StaffIdOfB))),
        ["/school-systems/{id}/duties"] = (i => i.LeaB, (ctx, _, id) => Render<LocalDutiesPage>(ctx, p => p.Add(x => x.SchoolSystemId, id))),
        ["/reviews/{id}"] = (i => i.ReviewOfB, (ctx, _, id) => Render<ReviewPage>(ctx, p => p.Add(x => x.ReviewId, id))),
        ["/readiness/{id}"] = (i => i.LeaB, (ctx, _, id) => Render<SchoolSystemReadinessPage>(ctx, p => p.Add(x => x.SchoolSystemId, id))),
        ["/tas/migration/{id}"] = (i => i.LeaB, (ctx, _, id) => Render<MigrationPage>(ctx, p => p.Add(x => x.SchoolSystemId, id))),
        ["/assurance/statements/{id}"] = (i => i.StatementVersion, (ctx, _, id) => Render<StatementEditor>(ctx, p => p.Add(x => x.Id, id))),
    };

    public static TheoryData<Role, string> Cases()
    {
        var data = new TheoryData<Role, string>();
        foreach (var role in Enum.GetValues<Role>())
        {
            foreach (var page in Pages.Keys)
            {
                data.Add(role, page);
            }
        }
        return data;
    }

    [Theory]
    [MemberData(nameof(Cases))]
    public async Task IdOfAnotherSchoolSystem_AndIdThatDoesNotExist_ShowTheSameMessage(Role role, string route)
    {
        await using var database = await TestDatabase.CreateAsync();
        var state = await TestState.CreateAsync(database);
        var ids = await BravoAsync(database, state);
        var person = role switch
        {
            Role.StateAdmin => state.StateAdmin,
            Role.DistrictA => state.DistrictA,
            Role.LocalA => state.LocalA,
            Role.SupervisorA => state.SupervisorA,
            _ => state.UserA1,
        };
        var (ofB, render) = Pages[route];

        var missing = await MessageAsync(database, person.Username!, ctx => render(ctx, ids, Missing));

        Assert.False(string.IsNullOrWhiteSpace(missing.Message), $"{route}: no message for an id that does not exist in {missing.Markup}");
        if (role != Role.StateAdmin)
        {
            var other = await MessageAsync(database, person.Username!, ctx => render(ctx, ids, ofB(ids)));
            Assert.Equal(missing.Message, other.Message);
            Assert.DoesNotContain(state.UserB1.StaffId, other.Markup, StringComparison.Ordinal);
            Assert.DoesNotContain(state.UserB1.LastName, other.Markup, StringComparison.OrdinalIgnoreCase);
        }
    }

    private static async Task<(string Message, string Markup)> MessageAsync(TestDatabase database, string username,
        Func<BunitContext, (string Message, string Markup)> render)
    {
        await using var ctx = DashboardContext.Create(database, username);
        ctx.Render<MudPopoverProvider>();
        return render(ctx);
    }

    /// <summary>Renders the page and waits for its message: the text of its alerts once one says why there is nothing to show.</summary>
    private static (string Message, string Markup) Render<TPage>(BunitContext ctx, Action<ComponentParameterCollectionBuilder<TPage>> parameters)
        where TPage : IComponent
    {
        var page = ctx.Render(parameters);
        var message = "";
        page.WaitForAssertion(() =>
        {
            message = string.Join(" | ", page.FindAll(".mud-alert-message").Select(a => a.TextContent.Trim()).Where(t => t.Length > 0));
            Assert.Matches("does not exist|outside|may not|Only|no school system", message);
        });
        return (message, page.Markup);
    }

    private static async Task<Ids> BravoAsync(TestDatabase database, TestState state)
    {
        var admin = TestState.CallerFor(state.StateAdmin);
        await GrantSetup.AddAsync(database, state.UserB1, state.SchoolRole, state.LeaB, state.B1);
        await database.Get<AccessReviewService>().OpenAsync(admin, new OpenReviewPeriod([state.LeaB.Id], new DateOnly(2027, 1, 15)));
        var version = await database.Get<StatementService>().CreateDraftAsync(admin, new SchoolYear(2027),
            new StatementContent("Confidentiality Assurance Statement", "I keep students' records confidential.", "I access records only for my duties."));
        await using var db = await database.OpenAsync();
        return new Ids(state.LeaB.Id, await db.AccessReviews.Where(r => r.SchoolSystemId == state.LeaB.Id).Select(r => r.Id).SingleAsync(),
            version, state.UserB1.StaffId, state.UserB1.Id);
    }
}
