using System.Globalization;
using EserSecurity.Core;
using EserSecurity.Core.Audit;
using EserSecurity.Core.Data;
using EserSecurity.Core.Directories;
using EserSecurity.Core.Imports;
using EserSecurity.Core.Security;

namespace EserSecurity.Dashboard.Hosting;

/// <summary>
/// The nightly directory feed from the command line, through the same Core services as the import pages:
/// <c>dotnet EserSecurity.Dashboard.dll import staff|schools --file X [--commit] [--end-missing] [--as StaffId]</c>.
/// It reads the console's configuration (appsettings, environment), migrates the database, previews the file and, with
/// --commit, imports it as the acting person (--as, or Import:ActingStaffId), audited as them. With no acting person
/// named, it is the first import (<see cref="DirectoryImporter.FirstImport"/>): allowed only while the database has no
/// active state administrator, so an empty database can be loaded before the bootstrap makes the first one. Exit codes:
/// 0 done, 1 the file cannot be committed (unreadable, or rows that block it), 2 bad usage (arguments, acting person).
/// </summary>
public static class DirectoryCommandLine
{
    public const int Succeeded = 0;
    public const int CannotCommit = 1;
    public const int BadUsage = 2;

    /// <summary>The configuration key naming the acting person's Staff ID when --as is not given.</summary>
    public const string ActingStaffIdKey = "Import:ActingStaffId";

    private const int ProblemsShown = 20;

    public const string Usage = """
        Usage: dotnet EserSecurity.Dashboard.dll import staff|schools --file <path> [--commit] [--end-missing] [--as <Staff ID>]
          staff | schools   the staff directory extract or the school directory
          --file <path>     the CSV file
          --commit          import it; without it the file is only previewed and nothing is written
          --end-missing     staff only: mark people missing from the file ended (default: keep them)
          --as <Staff ID>   the person the import acts as and is audited as (default: configuration Import:ActingStaffId)
        With no acting person, the import runs as the system, statewide: allowed only while the database has no active state
        administrator (the first load of an empty database, before Bootstrap:StateAdministrator makes the first one).
        Exit codes: 0 done, 1 the file cannot be committed, 2 bad usage.
        """;

    /// <summary>Whether the command line asks for an import rather than the web console.</summary>
    public static bool IsImport(string[] args) => args.Length > 0 && args[0] == "import";

    public static async Task<int> RunAsync(string[] args, TextWriter output, TextWriter error, CancellationToken ct = default)
    {
        if (Parse(args, error) is not { } request)
        {
            return BadUsage;
        }
        var builder = WebApplication.CreateBuilder(request.ConfigurationArgs);
        builder.Logging.SetMinimumLevel(LogLevel.Warning);
        builder.AddEserSecurityCore();
        builder.AddDemoState();
        await using var app = builder.Build();
        await app.Services.GetRequiredService<DatabaseInitializer>().InitializeAsync(ct);

        var staffId = request.ActingStaffId ?? app.Configuration[ActingStaffIdKey];
        DirectoryImporter importer;
        if (string.IsNullOrWhiteSpace(staffId))
        {
            importer = DirectoryImporter.FirstImport;
        }
        else if (await app.Services.GetRequiredService<DirectoryRecords>().FindActingPersonAsync(staffId, ct) is { } caller)
        {
            importer = DirectoryImporter.Person(caller);
        }
        else
        {
            await error.WriteLineAsync($"No staff record has the Staff ID {staffId}; the import acts as a person in the staff directory.");
            return BadUsage;
        }

        try
        {
            return await ImportAsync(app.Services, request, importer, output, error, ct);
        }
        catch (FirstDirectoryImportClosedException ex)
        {
            await error.WriteLineAsync($"{ex.Message} Name the person the import acts as: --as <Staff ID>, or the configuration key {ActingStaffIdKey}.");
            return BadUsage;
        }
        catch (ScopeDeniedException ex)
        {
            await error.WriteLineAsync($"{importer.Caller?.DisplayName} ({staffId}) may not do this: {ex.Message}");
            return BadUsage;
        }
        catch (ImportFileFormatException ex)
        {
            await error.WriteLineAsync($"The file cannot be imported: {ex.Message}");
            return CannotCommit;
        }
    }

    private static async Task<int> ImportAsync(
        IServiceProvider services, ImportRequest request, DirectoryImporter importer, TextWriter output, TextWriter error, CancellationToken ct)
    {
        var staff = services.GetRequiredService<StaffDirectoryImportService>();
        var schools = services.GetRequiredService<SchoolDirectoryImportService>();
        var missing = request.EndMissing ? MissingPeopleAction.MarkEnded : MissingPeopleAction.Keep;
        DirectoryImportPreview preview;
        await using (var file = File.OpenRead(request.File))
        {
            preview = request.Kind == DirectoryKind.Staff
                ? await staff.PreviewAsync(importer, file, null, ct)
                : await schools.PreviewAsync(importer, file, null, ct);
        }
        await WriteSummaryAsync(output, request, importer, preview, missing);
        if (!preview.CanCommit)
        {
            await error.WriteLineAsync(preview.BlockingMessage);
            return CannotCommit;
        }
        if (!request.Commit)
        {
            await output.WriteLineAsync("Preview only: nothing was written. Run again with --commit to import the file.");
            return Succeeded;
        }

        DirectoryImportResult result;
        try
        {
            await using var file = File.OpenRead(request.File);
            result = request.Kind == DirectoryKind.Staff
                ? await staff.CommitAsync(importer, file, new StaffImportOptions(missing), null, ct)
                : await schools.CommitAsync(importer, file, null, ct);
        }
        catch (DirectoryImportRefusedException ex)
        {
            // The directory changed between the preview and the commit, and the file no longer fits it.
            await error.WriteLineAsync(ex.Message);
            return CannotCommit;
        }
        await output.WriteLineAsync(result.Changed
            ? Invariant($"Imported (directory import {result.DirectoryImportId}): {result.Created} created, {result.Updated} updated, {result.Ended} {(request.Kind == DirectoryKind.Staff ? "ended" : "closed")}, {result.MissingEnded} not in the file marked ended, {result.ChangesRecorded} directory changes recorded.")
            : "Nothing to import: the directory already matches the file.");
        return Succeeded;
    }

    private static async Task WriteSummaryAsync(TextWriter output, ImportRequest request, DirectoryImporter importer, DirectoryImportPreview preview, MissingPeopleAction missing)
    {
        await output.WriteLineAsync(Invariant(
            $"{(request.Kind == DirectoryKind.Staff ? "Staff" : "School")} directory file {request.File}: {preview.RowsRead:N0} rows, read as {(preview.ReadAsWindows1252 ? "Windows-1252" : "UTF-8")}, as {importer.Caller?.DisplayName ?? AuditLog.FirstDirectoryImportActorName}."));
        foreach (var category in Enum.GetValues<DirectoryRowCategory>())
        {
            if (preview.Count(category) > 0)
            {
                await output.WriteLineAsync(Invariant($"  {Label(category),-24}{preview.Count(category),8:N0}"));
            }
        }
        if (request.Kind == DirectoryKind.Staff)
        {
            await output.WriteLineAsync(Invariant(
                $"  {"not in this file",-24}{preview.NotInFile.Count,8:N0}  ({(missing == MissingPeopleAction.MarkEnded ? "to be marked ended" : "kept; --end-missing marks them ended")})"));
        }
        var problems = preview.Rows.Where(r => r.Blocks || r.Category == DirectoryRowCategory.OutOfScope).Take(ProblemsShown).ToList();
        if (problems.Count > 0)
        {
            await output.WriteLineAsync("First problems:");
            foreach (var row in problems)
            {
                await output.WriteLineAsync(Invariant($"  line {row.LineNumber}: {Label(row.Category)}: {row.Reason}"));
            }
        }
    }

    private static string Label(DirectoryRowCategory category) => category switch
    {
        DirectoryRowCategory.UnknownSchoolSystem => "unknown school system",
        DirectoryRowCategory.UnknownSchool => "unknown school",
        DirectoryRowCategory.DuplicateInFile => "duplicate in the file",
        DirectoryRowCategory.OutOfScope => "out of scope",
        DirectoryRowCategory.MovedSchoolSystem => "moved school system",
        DirectoryRowCategory.MovedSchools => "moved between schools",
        _ => category.ToString().ToLowerInvariant(),
    };

    private static string Invariant(FormattableString text) => text.ToString(CultureInfo.InvariantCulture);

    private sealed record ImportRequest(
        DirectoryKind Kind, string File, bool Commit, bool EndMissing, string? ActingStaffId, string[] ConfigurationArgs);

    /// <summary>The import's own arguments; any other "--Key=value" or "--Key value" passes on to configuration.</summary>
    private static ImportRequest? Parse(string[] args, TextWriter error)
    {
        void Fail(string message)
        {
            error.WriteLine(message);
            error.WriteLine(Usage);
        }
        if (args.Length < 2 || args[1] is not ("staff" or "schools"))
        {
            Fail("Name the directory: import staff or import schools.");
            return null;
        }
        var kind = args[1] == "staff" ? DirectoryKind.Staff : DirectoryKind.Schools;
        string? file = null, actingStaffId = null;
        bool commit = false, endMissing = false;
        var configuration = new List<string>();
        for (var i = 2; i < args.Length; i++)
        {
            switch (args[i])
            {
                case "--file" when i + 1 < args.Length:
                    file = args[++i];
                    break;
                case "--as" when i + 1 < args.Length:
                    actingStaffId = args[++i];
                    break;
                case "--commit":
                    commit = true;
                    break;
                case "--end-missing" when kind == DirectoryKind.Staff:
                    endMissing = true;
                    break;
                case var other when other.StartsWith("--", StringComparison.Ordinal) && other.Contains(':', StringComparison.Ordinal):
                    configuration.Add(other);
                    if (!other.Contains('=', StringComparison.Ordinal) && i + 1 < args.Length)
                    {
                        configuration.Add(args[++i]);
                    }
                    break;
                default:
                    Fail($"'{args[i]}' is not an option of import {args[1]}.");
                    return null;
            }
        }
        if (file is null)
        {
            Fail("Name the file: --file <path>.");
            return null;
        }
        if (!File.Exists(file))
        {
            Fail($"There is no file {file}.");
            return null;
        }
        return new ImportRequest(kind, Path.GetFullPath(file), commit, endMissing, actingStaffId, [.. configuration]);
    }
}
