using EserSecurity.Core.Assurance;
using EserSecurity.Core.Coordinators;
using EserSecurity.Core.Directories;
using EserSecurity.Core.Identity;
using EserSecurity.Core.KeyDates;
using EserSecurity.Core.LocalDuties;
using EserSecurity.Core.Roles;
using EserSecurity.Core.Security;
using EserSecurity.Tests.Support;
using Microsoft.EntityFrameworkCore;

namespace EserSecurity.Tests.Core.Security;

/// <summary>
/// Names refuse the characters that cannot be seen (controls, bidirectional overrides and isolates) wherever a person
/// types or imports them; letters of any script, accents, apostrophes and hyphens pass. Each refusal says which
/// character and writes nothing.
/// </summary>
public sealed class UnsafeNameTests
{
    /// <summary>"Ana" followed by RIGHT-TO-LEFT OVERRIDE: what follows it is shown reversed.</summary>
    private const string Overridden = "Ana\u202Egnissim";

    [Theory]
    [InlineData("Thibodeaux", -1)]
    [InlineData("Renée O'Brien-Nguyễn", -1)]
    [InlineData("محمد", -1)]
    [InlineData("Ana\u202Egnissim", 3)]
    [InlineData("A\u2066B", 1)]
    [InlineData("Tab\there", 3)]
    [InlineData("Bell\u0007", 4)]
    [InlineData("C1\u0085", 2)]
    public void UnsafeIndex_FindsControlAndDirectionCharactersOnly(string value, int expected) =>
        Assert.Equal(expected, TextRules.UnsafeIndex(value));

    [Fact]
    public void NameProblem_NamesTheCharacter_AndWithoutUnsafeDropsIt()
    {
        Assert.Equal("The last name holds an invisible control or text-direction character (U+202E); type it again without that character.",
            TextRules.NameProblem(Overridden, "the last name"));
        Assert.Null(TextRules.NameProblem("Renée", "the last name"));
        Assert.Equal("Anagnissim", TextRules.WithoutUnsafe(Overridden));
    }

    [Fact]
    public async Task StaffDirectoryRow_WithAnOverrideInTheName_IsInvalid_AndTheCommitWritesNothing()
    {
        await using var database = await TestDatabase.CreateAsync();
        var state = await TestState.CreateAsync(database);
        var file = DirectoryCsv.Staff().Person(state.UserA1, "101", "101001", lastName: Overridden);
        var service = database.Get<StaffDirectoryImportService>();

        var preview = await service.PreviewAsync(TestState.CallerFor(state.StateAdmin), file.ToStream());

        var row = Assert.Single(preview.Rows);
        Assert.Equal(DirectoryRowCategory.Invalid, row.Category);
        Assert.Contains("(U+202E)", row.Reason);
        await Assert.ThrowsAsync<DirectoryImportRefusedException>(() => service.CommitAsync(TestState.CallerFor(state.StateAdmin), file.ToStream()));
        await using var db = await database.OpenAsync();
        Assert.Equal(state.UserA1.LastName, (await db.StaffMembers.SingleAsync(s => s.Id == state.UserA1.Id)).LastName);
    }

    [Fact]
    public async Task SchoolDirectoryRow_WithAControlCharacterInTheSchoolName_IsInvalid()
    {
        await using var database = await TestDatabase.CreateAsync();
        var state = await TestState.CreateAsync(database);

        var preview = await database.Get<SchoolDirectoryImportService>().PreviewAsync(TestState.CallerFor(state.StateAdmin),
            DirectoryCsv.Schools().Row("101", "Alpha Parish Schools", "101009", "Alpha\u0007New", "Open").ToStream());

        var row = Assert.Single(preview.Rows);
        Assert.Equal(DirectoryRowCategory.Invalid, row.Category);
        Assert.StartsWith("The school name holds an invisible control or text-direction character (U+0007)", row.Reason);
    }

    [Fact]
    public async Task TypedNamesAndTitles_WithAnOverride_AreRefused_AndNothingIsWritten()
    {
        await using var database = await TestDatabase.CreateAsync();
        var state = await TestState.CreateAsync(database);
        var admin = TestState.CallerFor(state.StateAdmin);

        var group = await Assert.ThrowsAsync<CoordinatorRefusedException>(() =>
            database.Get<CoordinatorService>().CreateGroupAsync(TestState.CallerFor(state.DistrictA), state.LeaA.Id, Overridden, [state.A2.Id]));
        var role = await Assert.ThrowsAsync<RoleCatalogRefusedException>(() => database.Get<RoleCatalogService>()
            .CreateRoleAsync(admin, new EserRoleEdit("NEW_ROLE", Overridden, "Does things.", ["Read"], false, RoleLevel.School)));
        var keyDate = await Assert.ThrowsAsync<KeyDateRefusedException>(() => database.Get<KeyDateService>()
            .CreateAsync(admin, new KeyDateEdit(KeyDateKind.Other, Overridden, new DateOnly(2027, 1, 4))));
        var statement = await Assert.ThrowsAsync<AssuranceRefusedException>(() => database.Get<StatementService>()
            .CreateDraftAsync(admin, new SchoolYear(2026), new StatementContent(Overridden, "Text.", "I agree.")));
        var training = await Assert.ThrowsAsync<LocalDutiesRefusedException>(() => database.Get<LocalDutiesService>()
            .AddTrainingSessionAsync(TestState.CallerFor(state.DistrictA), state.LeaA.Id, new DateOnly(2026, 9, 1), Overridden, [state.UserA1.Id]));

        Assert.All(new[] { group.Message, role.Message, keyDate.Message, statement.Message, training.Message }, m => Assert.Contains("(U+202E)", m));
        Assert.StartsWith("The name holds an invisible", role.Message);
        await using var db = await database.OpenAsync();
        Assert.False(await db.SchoolGroups.AnyAsync(g => g.Name == Overridden));
        Assert.False(await db.EserRoles.AnyAsync(r => r.Code == "NEW_ROLE"));
        Assert.False(await db.KeyDates.AnyAsync(k => k.Title == Overridden));
        Assert.False(await db.StatementVersions.AnyAsync(v => v.Title == Overridden));
        Assert.False(await db.LocalTrainingSessions.AnyAsync());
    }

    [Fact]
    public async Task ProvidersDisplayName_IsKeptWithoutWhatCannotBeSeen()
    {
        await using var database = await TestDatabase.CreateAsync();
        await TestState.CreateAsync(database);

        await database.Get<SignOnLinks>().SignInAsync(new SignOnAccount("https://login.example.org", "oid-rlo", Overridden, null, null));

        await using var db = await database.OpenAsync();
        Assert.Equal("Anagnissim", (await db.SignInSessions.SingleAsync(s => s.Subject == "oid-rlo")).DisplayName);
    }
}
