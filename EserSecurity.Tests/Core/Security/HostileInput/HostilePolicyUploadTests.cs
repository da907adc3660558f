using System.Text;
using EserSecurity.Core.LocalDuties;
using EserSecurity.Tests.Support;
using Microsoft.EntityFrameworkCore;

namespace EserSecurity.Tests.Core.Security.HostileInput;

/// <summary>
/// The local security-policy upload fed what is not a policy PDF (empty, over 5 MB, an image, random bytes, a web page)
/// and file names that try to be paths or hide characters: a file is refused with a message and nothing written; a
/// name is kept as its last segment without what cannot be seen.
/// </summary>
public sealed class HostilePolicyUploadTests
{
    private static readonly DateOnly AdoptedOn = new(2026, 8, 3);

    private static readonly byte[] Pdf = Encoding.ASCII.GetBytes("%PDF-1.7\n%\u00e2\u00e3\n1 0 obj << >> endobj\ntrailer << >>\n%%EOF\n");

    public static TheoryData<string, string> RefusedFiles() => new()
    {
        { "empty", "The file is empty" },
        { "over 5 MB", $"may be at most {LocalPolicyDocument.MaxBytes / 1024 / 1024} MB" },
        { "PNG image", "is not a PDF" },
        { "random bytes", "is not a PDF" },
        { "web page named .pdf", "is not a PDF" },
    };

    private static byte[] Make(string file) => file switch
    {
        "empty" => [],
        "over 5 MB" => [.. Pdf, .. new byte[LocalPolicyDocument.MaxBytes]],
        "PNG image" => HostileFiles.Png,
        "random bytes" => HostileFiles.RandomBytes(),
        "web page named .pdf" => Encoding.UTF8.GetBytes("<html><script>alert(1)</script></html>"),
        _ => throw new ArgumentOutOfRangeException(nameof(file)),
    };

    [Theory]
    [MemberData(nameof(RefusedFiles))]
    public async Task NotAPolicyPdf_IsRefusedWithAMessage_AndNothingIsWritten(string file, string says)
    {
        await using var database = await TestDatabase.CreateAsync();
        var state = await TestState.CreateAsync(database);
        var before = await DatabaseSnapshot.TakeAsync(database);

        var refusal = await Assert.ThrowsAsync<LocalDutiesRefusedException>(() => database.Get<LocalDutiesService>().RecordPolicyAsync(
            TestState.CallerFor(state.DistrictA), state.LeaA.Id, new LocalPolicyChange(AdoptedOn, true, new PolicyUpload("policy.pdf", Make(file)))));

        Assert.Contains(says, refusal.Message, StringComparison.Ordinal);
        await DatabaseSnapshot.AssertUnchangedAsync(database, before);
    }

    public static TheoryData<string, string> FileNames() => new()
    {
        { "../../etc/passwd.pdf", "passwd.pdf" },
        { "C:\\x\\y.pdf", "y.pdf" },
        { "a\u0000b.pdf", "ab.pdf" },
        { "policy\r\nSet-Cookie: x=1.pdf", "policySet-Cookie: x=1.pdf" },
        { "\u202Efdp.exe", "fdp.exe" },
        { "<script>alert(1)</script>.pdf", "script>.pdf" },
        { "..", "security-policy.pdf" },
    };

    [Theory]
    [MemberData(nameof(FileNames))]
    public async Task PathOrHiddenCharactersInTheFileName_KeepOnlyAHarmlessName(string given, string kept)
    {
        await using var database = await TestDatabase.CreateAsync();
        var state = await TestState.CreateAsync(database);

        await database.Get<LocalDutiesService>().RecordPolicyAsync(
            TestState.CallerFor(state.DistrictA), state.LeaA.Id, new LocalPolicyChange(AdoptedOn, true, new PolicyUpload(given, Pdf)));

        await using var db = await database.OpenAsync();
        Assert.Equal(kept, (await db.LocalPolicyDocuments.SingleAsync()).FileName);
    }
}
