using System.IO.Compression;
using System.Text;
using System.Text.RegularExpressions;
using EserSecurity.Core.Coordinators;
using EserSecurity.Core.Documents;
using EserSecurity.Core.Grants;
using EserSecurity.Core.KeyDates;
using EserSecurity.Core.Roles;
using EserSecurity.Core.SchoolSystems;
using EserSecurity.Core.Security;
using EserSecurity.Core.Staff;
using EserSecurity.Tests.Support;
using Microsoft.Extensions.Options;
using UglyToad.PdfPig;

namespace EserSecurity.Tests.Core.Documents;

public sealed partial class DocumentServiceTests
{
    private static readonly Func<DocumentService, Caller, int, Task<GeneratedDocument>>[] EveryDocument =
    [
        (s, c, id) => s.CoordinatorSetupAsync(c, id),
        (s, c, id) => s.GainingAccessAsync(c, id),
        (s, c, id) => s.AuthorizedUserListPdfAsync(c, id),
        (s, c, id) => s.AuthorizedUserListCsvAsync(c, id),
    ];

    private static async Task<(TestDatabase Db, TestState State, DocumentService Service)> ArrangeAsync()
    {
        var db = await TestDatabase.CreateAsync();
        var state = await TestState.CreateAsync(db);
        await AddKeyDatesAsync(db);
        return (db, state, db.Get<DocumentService>());
    }

    /// <summary>Go-live on Monday, January 4, 2027; weekly sessions, one already past; a document release.</summary>
    private static async Task AddKeyDatesAsync(TestDatabase database)
    {
        await using var db = await database.OpenAsync();
        var two = new TimeOnly(14, 0);
        var three = new TimeOnly(15, 0);
        db.KeyDates.AddRange(
            new KeyDate { Kind = KeyDateKind.GoLive, Title = "Go-live: eSER opens in EdLink Security", On = new DateOnly(2027, 1, 4) },
            new KeyDate { Kind = KeyDateKind.QaSession, Title = "eSER go-live Q&A session", On = new DateOnly(2026, 11, 23), StartsAt = two, EndsAt = three },
            new KeyDate { Kind = KeyDateKind.QaSession, Title = "eSER go-live Q&A session", On = new DateOnly(2026, 11, 30), StartsAt = two, EndsAt = three },
            new KeyDate { Kind = KeyDateKind.QaSession, Title = "eSER go-live Q&A session", On = new DateOnly(2026, 12, 7), StartsAt = two, EndsAt = three },
            new KeyDate { Kind = KeyDateKind.DocumentRelease, Title = "Gaining Access A–Z one-pager release", On = new DateOnly(2026, 12, 2) });
        await db.SaveChangesAsync();
    }

    private static async Task AddGrantAsync(TestDatabase database, StaffMember person, EserRole role, SchoolSystem lea, School? school,
        DateTimeOffset grantedAt, DateTimeOffset? endedAt = null)
    {
        await using var db = await database.OpenAsync();
        db.AccessGrants.Add(new AccessGrant
        {
            StaffMemberId = person.Id,
            EserRoleId = role.Id,
            SchoolSystemId = lea.Id,
            SchoolId = school?.Id,
            Origin = GrantOrigin.Request,
            GrantedAt = grantedAt,
            EndedAt = endedAt,
            EndReason = endedAt is null ? null : GrantEndReason.EmploymentEnded,
        });
        await db.SaveChangesAsync();
    }

    [Fact]
    public async Task CoordinatorSetup_ListsDistrictAndLocalCoordinatorsWithWhatTheyCover_AndTheSupervisor()
    {
        var (database, state, service) = await ArrangeAsync();
        await using var _ = database;

        var document = await service.CoordinatorSetupAsync(TestState.CallerFor(state.StateAdmin), state.LeaA.Id);

        var text = PdfText.All(document.Content);
        Assert.Equal(("coordinator-setup-101.pdf", "application/pdf"), (document.FileName, document.ContentType));
        Assert.Contains("Security Coordinator Setup 101 · Alpha Parish Schools", text, StringComparison.Ordinal);
        Assert.Contains("district alpha District coordinator Whole school system (3 schools) district.alpha@example.org", text, StringComparison.Ordinal);
        Assert.Contains("supervisor alpha Special education supervisor IEP Forms approvals; access reviews supervisor.alpha@example.org", text, StringComparison.Ordinal);
        Assert.Contains("local alpha Local coordinator Group “Alpha North”: Alpha Elementary, Alpha Middle local.alpha@example.org", text, StringComparison.Ordinal);
        Assert.Contains("1 of 3 schools have no local security coordinator", text, StringComparison.Ordinal);
        Assert.DoesNotContain("bravo", text, StringComparison.OrdinalIgnoreCase);
    }

    [Fact]
    public async Task CoordinatorSetup_SaysWhatACoordinatorDoesAndHowToApproveInTheConsole()
    {
        var (database, state, service) = await ArrangeAsync();
        await using var _ = database;

        var text = PdfText.All((await service.CoordinatorSetupAsync(TestState.CallerFor(state.DistrictA), state.LeaA.Id)).Content);

        Assert.Contains("Review every access request", text, StringComparison.Ordinal);
        Assert.Contains("Keep the current list of authorized users", text, StringComparison.Ordinal);
        Assert.Contains("Remove access when employment ends or duties change", text, StringComparison.Ordinal);
        Assert.Contains("Run the annual or semiannual access review with the special education supervisor", text, StringComparison.Ordinal);
        Assert.Contains("open the Approval queue", text, StringComparison.Ordinal);
        Assert.Contains("Choose Approve or Deny", text, StringComparison.Ordinal);
        Assert.Contains("IEP Forms access then go to the special education supervisor (supervisor alpha)", text, StringComparison.Ordinal);
    }

    [Fact]
    public async Task OnePagers_ShowUpcomingKeyDatesInLongForm_WithTheWeeklySessionTimes()
    {
        var (database, state, service) = await ArrangeAsync();
        await using var _ = database;
        var caller = TestState.CallerFor(state.StateAdmin);

        foreach (var document in new[] { await service.CoordinatorSetupAsync(caller, state.LeaA.Id), await service.GainingAccessAsync(caller, state.LeaA.Id) })
        {
            var text = PdfText.All(document.Content);
            Assert.Contains("before go-live on Monday, January 4, 2027", text.Replace("From Monday", "before go-live on Monday", StringComparison.Ordinal), StringComparison.Ordinal);
            Assert.Contains("Monday, November 30, 2026 2:00–3:00 p.m. eSER go-live Q&A session — weekly; also December 7", text, StringComparison.Ordinal);
            Assert.Contains("Wednesday, December 2, 2026 Gaining Access A–Z one-pager release", text, StringComparison.Ordinal);
            Assert.Contains("Monday, January 4, 2027 Go-live: eSER opens in EdLink Security", text, StringComparison.Ordinal);
            Assert.DoesNotContain("November 23", text, StringComparison.Ordinal);
        }
    }

    [Fact]
    public async Task OnePagers_LeaveOutEndedAssignmentsAndPeopleWhoseEmploymentEnded()
    {
        var (database, state, service) = await ArrangeAsync();
        await using var _ = database;
        await using (var db = await database.OpenAsync())
        {
            var local = db.CoordinatorAssignments.Single(a => a.StaffMemberId == state.LocalA.Id);
            local.EndsOn = new DateOnly(2026, 11, 1);
            var supervisor = db.StaffMembers.Single(s => s.Id == state.SupervisorA.Id);
            supervisor.EmploymentStatus = EmploymentStatus.Ended;
            await db.SaveChangesAsync();
        }

        var text = PdfText.All((await service.CoordinatorSetupAsync(TestState.CallerFor(state.StateAdmin), state.LeaA.Id)).Content);

        Assert.Contains("district alpha", text, StringComparison.Ordinal);
        Assert.DoesNotContain("local alpha", text, StringComparison.Ordinal);
        Assert.DoesNotContain("supervisor alpha", text, StringComparison.Ordinal);
        Assert.Contains("No special education supervisor is named", text, StringComparison.Ordinal);
        Assert.Contains("3 of 3 schools have no local security coordinator", text, StringComparison.Ordinal);
    }

    [Fact]
    public async Task GainingAccess_GivesTheSixStepsWithTheCoordinatorsContacts()
    {
        var (database, state, service) = await ArrangeAsync();
        await using var _ = database;

        var document = await service.GainingAccessAsync(TestState.CallerFor(state.SupervisorA), state.LeaA.Id);

        var text = PdfText.All(document.Content);
        Assert.Equal("gaining-access-101.pdf", document.FileName);
        Assert.Equal(1, PdfText.PageCount(document.Content));
        string[] steps =
        [
            "1. Get a state sign-on (MyLA) account.",
            "2. Link it to your eScholar Staff ID.",
            "3. Request a role.",
            "4. Coordinator approval.",
            "5. Sign the confidentiality assurance.",
            "6. Access on go-live day. On Monday, January 4, 2027",
        ];
        Assert.All(steps, step => Assert.Contains(step, text, StringComparison.Ordinal));
        Assert.True(steps.Select(s => text.IndexOf(s, StringComparison.Ordinal)).SequenceEqual(steps.Select(s => text.IndexOf(s, StringComparison.Ordinal)).Order()));
        Assert.Contains("district alpha District coordinator: whole school system (3 schools) district.alpha@example.org", text, StringComparison.Ordinal);
        Assert.Contains("local alpha Local coordinator: Group “Alpha North”: Alpha Elementary, Alpha Middle local.alpha@example.org", text, StringComparison.Ordinal);
        Assert.Contains("will not be able to access eSER on Monday, January 4, 2027", text, StringComparison.Ordinal);
    }

    [Fact]
    public async Task OnePagers_WithAConsoleAddress_CarryAQrCodeToThePageTheReaderNeeds_AndStayOnOnePage()
    {
        var (database, state, _) = await ArrangeAsync();
        await using var _ = database;
        var service = new DocumentService(database.Factory, database.Get<ScopeService>(), database.Clock,
            Options.Create(new DocumentOptions { ConsoleUrl = "https://eser-access.example.org/" }));
        var caller = TestState.CallerFor(state.StateAdmin);

        var setup = await service.CoordinatorSetupAsync(caller, state.LeaA.Id);
        var gaining = await service.GainingAccessAsync(caller, state.LeaA.Id);

        Assert.Contains("Scan to open the Approval queue eser-access.example.org/queue", PdfText.All(setup.Content), StringComparison.Ordinal);
        Assert.Contains("Scan to request eSER access eser-access.example.org/requests/new", PdfText.All(gaining.Content), StringComparison.Ordinal);
        Assert.Equal((1, 1), (PdfText.PageCount(setup.Content), PdfText.PageCount(gaining.Content)));
        Assert.True(Rectangles(gaining.Content) > 100, "the QR code's modules are drawn");
        var withoutAddress = await database.Get<DocumentService>().GainingAccessAsync(caller, state.LeaA.Id);
        Assert.DoesNotContain("Scan to", PdfText.All(withoutAddress.Content), StringComparison.Ordinal);
        Assert.True(Rectangles(withoutAddress.Content) < 40, "no QR code without the console's address");
    }

    private static int Rectangles(byte[] pdf)
    {
        using var document = PdfDocument.Open(pdf);
        return document.GetPage(1).Operations.OfType<UglyToad.PdfPig.Graphics.Operations.PathConstruction.AppendRectangle>().Count();
    }

    [Fact]
    public async Task Documents_CarryTitleAuthorAndSubject()
    {
        var (database, state, service) = await ArrangeAsync();
        await using var _ = database;
        var caller = TestState.CallerFor(state.DistrictA);

        var documents = new[]
        {
            (await service.CoordinatorSetupAsync(caller, state.LeaA.Id), "Security Coordinator Setup — 101 Alpha Parish Schools"),
            (await service.GainingAccessAsync(caller, state.LeaA.Id), "Gaining Access A–Z — 101 Alpha Parish Schools"),
            (await service.AuthorizedUserListPdfAsync(caller, state.LeaA.Id), "Authorized eSER Users — 101 Alpha Parish Schools"),
        };

        foreach (var (document, title) in documents)
        {
            using var pdf = PdfDocument.Open(document.Content);
            Assert.Equal(title, pdf.Information.Title);
            Assert.Equal(state.DistrictA.FullName, pdf.Information.Author);
            Assert.Contains("Alpha Parish Schools", pdf.Information.Subject, StringComparison.Ordinal);
        }
    }

    [Fact]
    public async Task CoordinatorSetup_WithManyLocalCoordinators_StaysOnOnePageAndCountsTheOnesLeftOut()
    {
        var (database, state, service) = await ArrangeAsync();
        await using var _ = database;
        const int added = 45;
        await using (var db = await database.OpenAsync())
        {
            for (var i = 0; i < added; i++)
            {
                var school = new School { SiteCode = $"101{i + 100:000}", Name = $"Alpha Bayou Elementary and Middle School Number {i + 1}", SchoolSystemId = state.LeaA.Id };
                var person = new StaffMember
                {
                    StaffId = $"8{i:0000000}", FirstName = "Max", LastName = $"Local{i:00}",
                    Email = $"maximilian-alexander.broussard-thibodeaux{i:00}@alpha-parish.k12.example.org",
                    SchoolSystemId = state.LeaA.Id, Position = "Assistant Principal",
                };
                db.AddRange(school, person);
                db.CoordinatorAssignments.Add(new CoordinatorAssignment
                {
                    StaffMember = person, SchoolSystemId = state.LeaA.Id, Coverage = CoordinatorCoverage.School, School = school,
                    StartsOn = new DateOnly(2026, 1, 1),
                });
            }
            await db.SaveChangesAsync();
        }
        var caller = TestState.CallerFor(state.StateAdmin);

        var setup = await service.CoordinatorSetupAsync(caller, state.LeaA.Id);
        var gaining = await service.GainingAccessAsync(caller, state.LeaA.Id);

        foreach (var (document, pattern) in new[] { (setup, MoreLocalCoordinators()), (gaining, MoreLocalCoordinatorsForUsers()) })
        {
            Assert.Equal(1, PdfText.PageCount(document.Content));
            var text = PdfText.All(document.Content);
            var shown = Regex.Count(text, "Max Local\\d\\d ") + (text.Contains("local alpha", StringComparison.Ordinal) ? 1 : 0);
            var more = pattern.Match(text);
            Assert.True(more.Success, "the one-pager says how many local coordinators it left out");
            Assert.Equal(added + 1, shown + int.Parse(more.Groups[1].Value, System.Globalization.CultureInfo.InvariantCulture));
            Assert.True(shown > 0, "some local coordinators still fit");
            Assert.Contains("Key dates", text, StringComparison.Ordinal);
        }
    }

    [Fact]
    public async Task OnePagers_WithALongNameManyDistrictCoordinatorsAndManySessions_StillFitOnePage()
    {
        var (database, state, _) = await ArrangeAsync();
        await using var _ = database;
        var longName = string.Concat(Enumerable.Repeat("Very Long Consolidated Parish and City School System ", 4)).Trim();
        await using (var db = await database.OpenAsync())
        {
            db.SchoolSystems.Single(s => s.Id == state.LeaA.Id).Name = longName[..SchoolSystem.NameMaxLength];
            for (var i = 0; i < 12; i++)
            {
                var person = new StaffMember
                {
                    StaffId = $"6{i:0000000}", FirstName = "Dana", LastName = $"District{i:00}", Email = $"dana.district{i:00}@example.org",
                    SchoolSystemId = state.LeaA.Id, Position = "Data Manager",
                };
                db.Add(person);
                db.CoordinatorAssignments.Add(new CoordinatorAssignment
                {
                    StaffMember = person, SchoolSystemId = state.LeaA.Id, Coverage = CoordinatorCoverage.SchoolSystem, StartsOn = new DateOnly(2026, 1, 1),
                });
            }
            for (var week = 2; week < 40; week++)
            {
                db.KeyDates.Add(new KeyDate
                {
                    Kind = KeyDateKind.QaSession, Title = "eSER go-live Q&A session", On = new DateOnly(2026, 11, 30).AddDays(7 * week),
                    StartsAt = new TimeOnly(14, 0), EndsAt = new TimeOnly(15, 0),
                });
            }
            await db.SaveChangesAsync();
        }
        var service = new DocumentService(database.Factory, database.Get<ScopeService>(), database.Clock,
            Options.Create(new DocumentOptions { ConsoleUrl = "https://eser-access.example.org" }));
        var caller = TestState.CallerFor(state.StateAdmin);

        foreach (var document in new[] { await service.CoordinatorSetupAsync(caller, state.LeaA.Id), await service.GainingAccessAsync(caller, state.LeaA.Id) })
        {
            Assert.Equal(1, PdfText.PageCount(document.Content));
            var text = PdfText.All(document.Content);
            Assert.Contains("101 · Very Long Consolidated", text, StringComparison.Ordinal);
            Assert.Contains("…", text, StringComparison.Ordinal);
            Assert.Contains("weekly; also December 7", text, StringComparison.Ordinal);
            Assert.Contains("and 31 more", text, StringComparison.Ordinal);
        }
        using var pdf = PdfDocument.Open((await service.CoordinatorSetupAsync(caller, state.LeaA.Id)).Content);
        Assert.All(pdf.GetPage(1).Letters, l => Assert.InRange(l.BoundingBox.Right, 0, 612 - 49.5));
    }

    [GeneratedRegex("and (\\d+) more local coordinators — see the Coordinators page in the console")]
    private static partial Regex MoreLocalCoordinators();

    [GeneratedRegex("and (\\d+) more local coordinators — ask your school office who covers your school")]
    private static partial Regex MoreLocalCoordinatorsForUsers();

    [Fact]
    public async Task AuthorizedUserList_ListsEveryActiveGrantSortedByName_WithScopeIepFormsAndTotal()
    {
        var (database, state, service) = await ArrangeAsync();
        await using var _ = database;
        var granted = new DateTimeOffset(2026, 10, 12, 16, 0, 0, TimeSpan.Zero);
        await AddGrantAsync(database, state.UserA3, state.IepRole, state.LeaA, state.A3, granted);
        await AddGrantAsync(database, state.UserA1, state.SchoolRole, state.LeaA, state.A1, granted.AddDays(3));
        await AddGrantAsync(database, state.DistrictA, state.LeaRole, state.LeaA, null, granted);
        await AddGrantAsync(database, state.LocalA, state.SchoolRole, state.LeaA, state.A1, granted, endedAt: granted.AddDays(10));
        await AddGrantAsync(database, state.UserB1, state.SchoolRole, state.LeaB, state.B1, granted);

        var document = await service.AuthorizedUserListPdfAsync(TestState.CallerFor(state.DistrictA), state.LeaA.Id);

        var text = PdfText.All(document.Content);
        Assert.Equal("authorized-users-101-2026-11-28.pdf", document.FileName);
        Assert.Contains("Name Position Role School Granted on IEP Forms", text, StringComparison.Ordinal);
        string[] rows =
        [
            "alpha, district Data manager LEA Reports Whole school system Oct 12, 2026 No",
            "alpha1, user Teacher Student Data Entry Alpha Elementary Oct 15, 2026 No",
            "alpha3, user Teacher IEP Forms Writer Alpha High Oct 12, 2026 Yes",
        ];
        Assert.All(rows, row => Assert.Contains(row, text, StringComparison.Ordinal));
        Assert.True(rows.Select(r => text.IndexOf(r, StringComparison.Ordinal)).SequenceEqual(rows.Select(r => text.IndexOf(r, StringComparison.Ordinal)).Order()),
            "rows are sorted by name");
        Assert.DoesNotContain("alpha, local", text, StringComparison.Ordinal);
        Assert.DoesNotContain("bravo", text, StringComparison.Ordinal);
        Assert.Contains("Total: 3 active roles held by 3 people; 1 role with IEP Forms access.", text, StringComparison.Ordinal);
    }

    [Fact]
    public async Task AuthorizedUserList_ManyGrants_RepeatsTheHeaderRowOnEveryPage_AndEndsWithTheTotal()
    {
        var (database, state, service) = await ArrangeAsync();
        await using var _ = database;
        const int grants = 120;
        await using (var db = await database.OpenAsync())
        {
            for (var i = 0; i < grants; i++)
            {
                var person = new StaffMember
                {
                    StaffId = $"7{i:0000000}", FirstName = "Pat", LastName = $"Person{i:000}", Email = $"pat{i}@example.org",
                    SchoolSystemId = state.LeaA.Id, Position = "Special Education Teacher",
                };
                db.Add(person);
                db.AccessGrants.Add(new AccessGrant
                {
                    StaffMember = person, EserRoleId = i % 2 == 0 ? state.IepRole.Id : state.SchoolRole.Id, SchoolSystemId = state.LeaA.Id,
                    SchoolId = state.A2.Id, GrantedAt = new DateTimeOffset(2026, 9, 1, 15, 0, 0, TimeSpan.Zero),
                });
            }
            await db.SaveChangesAsync();
        }

        var document = await service.AuthorizedUserListPdfAsync(TestState.CallerFor(state.StateAdmin), state.LeaA.Id);

        var pages = PdfText.Pages(document.Content);
        Assert.True(pages.Count >= 3, $"120 rows take several pages, got {pages.Count}");
        using var pdf = PdfDocument.Open(document.Content);
        foreach (var page in pdf.GetPages())
        {
            var words = page.GetWords().ToList();
            var header = words.Single(w => w.Text == "Position");
            var rowsOnPage = words.Where(w => w.Text.StartsWith("Person", StringComparison.Ordinal)).ToList();
            Assert.NotEmpty(rowsOnPage);
            Assert.True(header.BoundingBox.Bottom > rowsOnPage.Max(w => w.BoundingBox.Top), $"the header row heads page {page.Number}");
        }
        var listed = string.Join(" ", pages).Split(' ').Where(w => w.StartsWith("Person", StringComparison.Ordinal)).ToList();
        Assert.Equal(Enumerable.Range(0, grants).Select(i => $"Person{i:000},"), listed);
        Assert.Contains($"Total: {grants} active roles held by {grants} people; {grants / 2} roles with IEP Forms access.", pages[^1], StringComparison.Ordinal);
        Assert.Contains($"Page {pages.Count} of {pages.Count}", pages[^1], StringComparison.Ordinal);
    }

    [Fact]
    public async Task AuthorizedUserListCsv_NeutralisesFormulaValues_AndQuotesPerRfc4180()
    {
        var (database, state, service) = await ArrangeAsync();
        await using var _ = database;
        await using (var db = await database.OpenAsync())
        {
            db.StaffMembers.AddRange(
                new StaffMember { StaffId = "5000001", FirstName = "=HYPERLINK(\"http://evil\")", LastName = "Aardvark", Email = "a@example.org", SchoolSystemId = state.LeaA.Id, Position = "Teacher, Grade 3" },
                new StaffMember { StaffId = "5000002", FirstName = "+Ann", LastName = "Baker", Email = "b@example.org", SchoolSystemId = state.LeaA.Id, Position = "@SUM(A1:A9)" },
                new StaffMember { StaffId = "5000003", FirstName = "-Cy", LastName = "Cole", Email = "c@example.org", SchoolSystemId = state.LeaA.Id, Position = "Coach \"Red\"\nand bus driver" });
            await db.SaveChangesAsync();
            foreach (var person in db.StaffMembers.Where(s => s.StaffId.StartsWith("50000")).ToList())
            {
                db.AccessGrants.Add(new AccessGrant
                {
                    StaffMemberId = person.Id, EserRoleId = state.SchoolRole.Id, SchoolSystemId = state.LeaA.Id, SchoolId = state.A1.Id,
                    GrantedAt = new DateTimeOffset(2026, 9, 1, 15, 0, 0, TimeSpan.Zero),
                });
            }
            await db.SaveChangesAsync();
        }

        var document = await service.AuthorizedUserListCsvAsync(TestState.CallerFor(state.DistrictA), state.LeaA.Id);

        Assert.Equal(("authorized-users-101-2026-11-28.csv", "text/csv; charset=utf-8"), (document.FileName, document.ContentType));
        Assert.Equal(Encoding.UTF8.Preamble.ToArray(), document.Content.Take(3));
        var csv = Encoding.UTF8.GetString(document.Content.AsSpan(3));
        Assert.Equal(
            "Last name,First name,Staff ID,Position,Role,School,Site code,Granted on,IEP Forms\r\n" +
            "Aardvark,\"'=HYPERLINK(\"\"http://evil\"\")\",5000001,\"Teacher, Grade 3\",Student Data Entry,Alpha Elementary,101001,2026-09-01,No\r\n" +
            "Baker,'+Ann,5000002,'@SUM(A1:A9),Student Data Entry,Alpha Elementary,101001,2026-09-01,No\r\n" +
            "Cole,'-Cy,5000003,\"Coach \"\"Red\"\"\nand bus driver\",Student Data Entry,Alpha Elementary,101001,2026-09-01,No\r\n",
            csv);
    }

    [Theory]
    [InlineData("=1+1", "'=1+1")]
    [InlineData("+1", "'+1")]
    [InlineData("-1", "'-1")]
    [InlineData("@cmd", "'@cmd")]
    [InlineData("\t=1", "'\t=1")]
    [InlineData("a=1", "a=1")]
    [InlineData("O'Neil", "O'Neil")]
    [InlineData("", "")]
    public void Csv_Neutralise_PrefixesOnlyValuesASpreadsheetWouldRun(string value, string expected) =>
        Assert.Equal(expected, Csv.Neutralise(value));

    [Fact]
    public async Task DistrictCoordinatorOfA_CannotGetAnyDocumentOfB()
    {
        var (database, state, service) = await ArrangeAsync();
        await using var _ = database;

        foreach (var get in EveryDocument)
        {
            await Assert.ThrowsAsync<ScopeDeniedException>(() => get(service, TestState.CallerFor(state.DistrictA), state.LeaB.Id));
        }
    }

    [Fact]
    public async Task StaffUser_CannotGetAnyDocument_NotEvenOfTheirOwnSchoolSystem()
    {
        var (database, state, service) = await ArrangeAsync();
        await using var _ = database;

        foreach (var get in EveryDocument)
        {
            await Assert.ThrowsAsync<ScopeDeniedException>(() => get(service, TestState.CallerFor(state.UserA1), state.LeaA.Id));
        }
        await Assert.ThrowsAsync<ScopeDeniedException>(() => service.WriteOnePagersZipAsync(TestState.CallerFor(state.UserA1), Stream.Null));
    }

    [Fact]
    public async Task AuthorizedUserList_ForALocalCoordinator_ListsTheirSchoolsGrantsOnly()
    {
        var (database, state, service) = await ArrangeAsync();
        await using var _ = database;
        var granted = new DateTimeOffset(2026, 10, 12, 16, 0, 0, TimeSpan.Zero);
        await AddGrantAsync(database, state.UserA1, state.SchoolRole, state.LeaA, state.A1, granted);
        await AddGrantAsync(database, state.UserA3, state.IepRole, state.LeaA, state.A3, granted);
        await AddGrantAsync(database, state.DistrictA, state.LeaRole, state.LeaA, null, granted);
        var local = TestState.CallerFor(state.LocalA);

        var pdf = PdfText.All((await service.AuthorizedUserListPdfAsync(local, state.LeaA.Id)).Content);
        var csv = Encoding.UTF8.GetString((await service.AuthorizedUserListCsvAsync(local, state.LeaA.Id)).Content);

        Assert.Contains("alpha1, user Teacher Student Data Entry Alpha Elementary", pdf, StringComparison.Ordinal);
        Assert.DoesNotContain("alpha3", pdf, StringComparison.Ordinal);
        Assert.DoesNotContain("Whole school system", pdf, StringComparison.Ordinal);
        Assert.Contains("Total: 1 active role held by 1 person", pdf, StringComparison.Ordinal);
        Assert.Contains(state.UserA1.StaffId, csv, StringComparison.Ordinal);
        Assert.DoesNotContain(state.UserA3.StaffId, csv, StringComparison.Ordinal);
        Assert.DoesNotContain(state.DistrictA.StaffId, csv, StringComparison.Ordinal);
    }

    [Fact]
    public async Task LocalCoordinatorAndSupervisor_GetTheirOwnSchoolSystemsDocuments_NotOthers()
    {
        var (database, state, service) = await ArrangeAsync();
        await using var _ = database;

        foreach (var person in new[] { state.LocalA, state.SupervisorA })
        {
            foreach (var get in EveryDocument)
            {
                Assert.NotEmpty((await get(service, TestState.CallerFor(person), state.LeaA.Id)).Content);
                await Assert.ThrowsAsync<ScopeDeniedException>(() => get(service, TestState.CallerFor(person), state.LeaB.Id));
            }
        }
    }

    [Fact]
    public async Task StateAdministrator_GetsEveryDocumentOfEverySchoolSystem()
    {
        var (database, state, service) = await ArrangeAsync();
        await using var _ = database;

        foreach (var lea in new[] { state.LeaA, state.LeaB })
        {
            foreach (var get in EveryDocument)
            {
                var document = await get(service, TestState.CallerFor(state.StateAdmin), lea.Id);
                Assert.Contains(lea.Code, document.FileName, StringComparison.Ordinal);
            }
        }
        await Assert.ThrowsAsync<ScopeDeniedException>(() => service.CoordinatorSetupAsync(TestState.CallerFor(state.StateAdmin), 9999));
    }

    [Fact]
    public async Task OnePagersZip_IsForStateAdministratorsOnly()
    {
        var (database, state, service) = await ArrangeAsync();
        await using var _ = database;
        using var output = new MemoryStream();

        await Assert.ThrowsAsync<ScopeDeniedException>(() => service.WriteOnePagersZipAsync(TestState.CallerFor(state.DistrictA), output));

        Assert.Equal(0, output.Length);
    }

    [Fact]
    public async Task OnePagersZip_HoldsBothOnePagersOfEverySchoolSystem_AndReportsEachOneWritten()
    {
        var (database, state, service) = await ArrangeAsync();
        await using var _ = database;
        using var output = new MemoryStream();
        var progress = new RecordingProgress();

        await service.WriteOnePagersZipAsync(TestState.CallerFor(state.StateAdmin), output, progress);

        output.Position = 0;
        using var zip = new ZipArchive(output, ZipArchiveMode.Read);
        Assert.Equal(["coordinator-setup-101.pdf", "gaining-access-101.pdf", "coordinator-setup-202.pdf", "gaining-access-202.pdf"],
            zip.Entries.Select(e => e.FullName));
        foreach (var entry in zip.Entries)
        {
            using var copy = new MemoryStream();
            await using (var stream = await entry.OpenAsync())
            {
                await stream.CopyToAsync(copy);
            }
            Assert.Equal(1, PdfText.PageCount(copy.ToArray()));
        }
        Assert.Equal([1, 2, 3, 4], progress.Values);
    }

    [Fact]
    public async Task OnePagersZip_StreamsToAnUnseekableOutput_WithoutSynchronousWrites()
    {
        var (database, state, service) = await ArrangeAsync();
        await using var _ = database;
        using var inner = new MemoryStream();
        await using var output = new ResponseLikeStream(inner);

        await service.WriteOnePagersZipAsync(TestState.CallerFor(state.StateAdmin), output);

        inner.Position = 0;
        using var zip = new ZipArchive(inner, ZipArchiveMode.Read);
        Assert.Equal(4, zip.Entries.Count);
    }

    /// <summary>Like an HTTP response body: forward-only, and synchronous writes are refused.</summary>
    private sealed class ResponseLikeStream(Stream inner) : Stream
    {
        public override bool CanRead => false;
        public override bool CanSeek => false;
        public override bool CanWrite => true;
        public override long Length => throw new NotSupportedException();
        public override long Position { get => inner.Position; set => throw new NotSupportedException(); }
        public override void Flush() => throw new InvalidOperationException("Synchronous operations are disallowed.");
        public override Task FlushAsync(CancellationToken cancellationToken) => inner.FlushAsync(cancellationToken);
        public override int Read(byte[] buffer, int offset, int count) => throw new NotSupportedException();
        public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();
        public override void SetLength(long value) => throw new NotSupportedException();
        public override void Write(byte[] buffer, int offset, int count) => throw new InvalidOperationException("Synchronous operations are disallowed.");
        public override ValueTask WriteAsync(ReadOnlyMemory<byte> buffer, CancellationToken cancellationToken = default) => inner.WriteAsync(buffer, cancellationToken);
        public override Task WriteAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken) => inner.WriteAsync(buffer, offset, count, cancellationToken);
    }

    /// <summary>Records reports synchronously; <see cref="Progress{T}"/> would post them to the thread pool.</summary>
    private sealed class RecordingProgress : IProgress<int>
    {
        public List<int> Values { get; } = [];

        public void Report(int value) => Values.Add(value);
    }
}
