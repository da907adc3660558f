using EserSecurity.Core.Assurance;
using EserSecurity.Core.Data;
using EserSecurity.Tests.Support;
using Microsoft.EntityFrameworkCore;
using static EserSecurity.Tests.Core.Assurance.AssuranceTestSupport;

namespace EserSecurity.Tests.Core.Assurance;

public sealed class VerificationTests
{
    [Fact]
    public void NewCodes_CarryAtLeast80RandomBits_AndDoNotRepeat()
    {
        var codes = Enumerable.Range(0, 20_000).Select(_ => VerificationCode.New()).ToList();

        Assert.True(VerificationCode.Bits >= 80);
        Assert.Equal(32, VerificationCode.Alphabet.Distinct().Count());
        Assert.All(codes, c => Assert.Matches("^[0-9A-HJKMNP-TV-Z]{4}(-[0-9A-HJKMNP-TV-Z]{4}){4}$", c));
        Assert.Equal(codes.Count, codes.Distinct().Count());
        // Every symbol turns up in every position: no position is fixed or narrowed.
        var symbols = codes.Select(c => c.Replace("-", "")).ToList();
        Assert.All(Enumerable.Range(0, VerificationCode.Length), i => Assert.Equal(32, symbols.Select(s => s[i]).Distinct().Count()));
    }

    [Theory]
    [InlineData("7kqd-m2xa-9phr-t4we-0bnc")]
    [InlineData("  7KQD M2XA 9PHR T4WE 0BNC ")]
    [InlineData("7KQDM2XA9PHRT4WEOBNC")]
    [InlineData("https://eser-access.example.org/verify/7KQD-M2XA-9PHR-T4WE-0BNC")]
    public void Normalize_IgnoresCaseDashesSpacesAndReadsOAsZero(string input)
    {
        Assert.Equal("7KQD-M2XA-9PHR-T4WE-0BNC", VerificationCode.Normalize(input));
    }

    [Fact]
    public void Normalize_ReadsIAndLAsOne()
    {
        Assert.Equal("1111-0000-2222-3333-4444", VerificationCode.Normalize("iIlL-oOoO-2222-3333-4444"));
    }

    [Theory]
    [InlineData(null)]
    [InlineData("")]
    [InlineData("7KQD-M2XA-9PHR-T4WE")]
    [InlineData("7KQD-M2XA-9PHR-T4WE-0BNC-X")]
    [InlineData("7KQD-M2XA-9PHR-T4WE-0BNU")]
    [InlineData("'; DROP TABLE AssuranceSignatures; --")]
    public void Normalize_RejectsWhatCannotBeACode(string? input)
    {
        Assert.Null(VerificationCode.Normalize(input));
    }

    [Fact]
    public async Task Verify_ACurrentSignature_SaysOnlyNameSchoolSystemYearAndDay()
    {
        var (database, state) = await ArrangeAsync();
        await using var _ = database;
        var signature = await SignAsync(database, state.UserA1, await PublishAsync(database, state));

        var result = await database.Get<AssuranceService>().VerifyAsync(signature.VerificationCode.ToLowerInvariant().Replace("-", " "));

        Assert.Equal(new VerificationResult(VerificationState.Current, "user alpha1", "Alpha Parish Schools", "2026–27", new DateOnly(2026, 11, 28)), result);
    }

    [Fact]
    public async Task Verify_AStateAgencySigner_NamesTheAgency()
    {
        var (database, state) = await ArrangeAsync();
        await using var _ = database;
        var signature = await SignAsync(database, state.StateAdmin, await PublishAsync(database, state));

        var result = await database.Get<AssuranceService>().VerifyAsync(signature.VerificationCode);

        Assert.Equal(AssuranceService.StateAgencyName, result.SchoolSystemName);
    }

    [Theory]
    [InlineData("0000-0000-0000-0000-0000")]
    [InlineData("not a code")]
    public async Task Verify_AnUnknownCode_IsUnknownWithNothingElse(string code)
    {
        var (database, state) = await ArrangeAsync();
        await using var _ = database;
        await SignAsync(database, state.UserA1, await PublishAsync(database, state));

        var result = await database.Get<AssuranceService>().VerifyAsync(code);

        Assert.Equal(VerificationResult.Unknown, result);
        Assert.Equal((null, null, null, null), (result.SignerName, result.SchoolSystemName, result.SchoolYearLabel, result.SignedOn));
    }

    [Fact]
    public async Task Verify_LastYearsSignature_IsSupersededOnceTheNewYearBegins()
    {
        var (database, state) = await ArrangeAsync(new DateTimeOffset(2026, 6, 30, 20, 0, 0, TimeSpan.Zero));
        await using var _ = database;
        var signature = await SignAsync(database, state.UserA1, await PublishAsync(database, state));
        var service = database.Get<AssuranceService>();

        var onJune30 = await service.VerifyAsync(signature.VerificationCode);
        database.Clock.SetUtcNow(new DateTimeOffset(2026, 7, 1, 8, 0, 0, TimeSpan.Zero));
        var onJuly1 = await service.VerifyAsync(signature.VerificationCode);

        Assert.Equal((VerificationState.Current, "2025–26"), (onJune30.State, onJune30.SchoolYearLabel));
        Assert.Equal((VerificationState.Superseded, "2025–26", new DateOnly(2026, 6, 30)), (onJuly1.State, onJuly1.SchoolYearLabel, onJuly1.SignedOn));
    }

    [Fact]
    public async Task DemoStateCodes_VerifyInTheConsolesOwnFormat()
    {
        await using var database = await TestDatabase.CreateAsync(DemoStateSize.Small);
        await using var db = await database.OpenAsync();
        var codes = await db.AssuranceSignatures.AsNoTracking().OrderBy(s => s.Id).Select(s => s.VerificationCode).Take(5).ToListAsync();

        foreach (var code in codes)
        {
            Assert.Equal(code, VerificationCode.Normalize(code));
            Assert.NotEqual(VerificationState.Unknown, (await database.Get<AssuranceService>().VerifyAsync(code)).State);
        }
    }
}
