using Bunit;
using EserSecurity.Core.AccessRequests;
using EserSecurity.Core.Notifications;
using EserSecurity.Dashboard.Components.Pages.Development;
using EserSecurity.Tests.Support;
using Microsoft.AspNetCore.Hosting;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.FileProviders;

namespace EserSecurity.Tests.Dashboard.Notifications;

public sealed class OutboxPageTests
{
    private sealed class Environment(string name) : IWebHostEnvironment
    {
        public string EnvironmentName { get; set; } = name;
        public string ApplicationName { get; set; } = "EserSecurity.Dashboard";
        public string WebRootPath { get; set; } = "";
        public IFileProvider WebRootFileProvider { get; set; } = new NullFileProvider();
        public string ContentRootPath { get; set; } = "";
        public IFileProvider ContentRootFileProvider { get; set; } = new NullFileProvider();
    }

    [Fact]
    public async Task InDevelopment_ShowsEachMessageWrittenToThePickupFolder_AsItIsSent()
    {
        await using var database = await TestDatabase.CreateAsync();
        var state = await TestState.CreateAsync(database);
        var folder = Path.Combine(Path.GetTempPath(), $"eser-outbox-{Guid.NewGuid():N}");
        try
        {
            await using var ctx = DashboardContext.Create(database, state.DistrictA.Username);
            ctx.Services.AddSingleton<IWebHostEnvironment>(new Environment("Development"));
            ctx.Services.Configure<MailOptions>(o => o.PickupDirectory = folder);
            var page = ctx.Render<OutboxPage>();
            page.WaitForAssertion(() => Assert.Contains("No message yet.", page.Markup));

            await database.Get<AccessRequestService>().SubmitAsync(TestState.CallerFor(state.UserA1),
                new NewAccessRequest(state.LeaRole.Id, null, "I prepare the board's reports."));
            await ctx.Services.GetRequiredService<NotificationMailer>().SendDueAsync();

            var subject = $"{state.UserA1.FullName} asks for LEA Reports at {state.LeaA.Name}";
            page.WaitForAssertion(() => Assert.Contains(subject, page.Find("table").TextContent));
            Assert.Contains(state.DistrictA.Email, page.Find("table").TextContent);
            Assert.Contains("You receive this because of your role in EserSecurity.", page.Find("pre").TextContent);
        }
        finally
        {
            if (Directory.Exists(folder))
            {
                Directory.Delete(folder, recursive: true);
            }
        }
    }

    [Fact]
    public async Task OutsideDevelopment_ShowsNoMail()
    {
        await using var database = await TestDatabase.CreateAsync();
        var state = await TestState.CreateAsync(database);
        await using var ctx = DashboardContext.Create(database, state.StateAdmin.Username);
        ctx.Services.AddSingleton<IWebHostEnvironment>(new Environment("Production"));
        ctx.Services.Configure<MailOptions>(o => o.PickupDirectory = Path.GetTempPath());

        var page = ctx.Render<OutboxPage>();

        Assert.StartsWith("The outbox exists only in Development", page.Find("[data-testid=outbox-unavailable]").TextContent.Trim());
        Assert.Empty(page.FindAll("table"));
    }
}
