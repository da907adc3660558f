using System.Data.Common;
using EserSecurity.Core.Data;
using EserSecurity.Core.Employment;
using EserSecurity.Core.Provisioning;
using EserSecurity.Core.Staff;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Storage;

namespace EserSecurity.Core.Directories;

/// <summary>
/// What the writer wrote: the people it created and changed, by id, for the change feed, and the leavers and movers
/// among them for the lifecycle rules.
/// </summary>
internal sealed record StaffWriteResult(
    IReadOnlyList<(int StaffMemberId, int? SchoolSystemId)> Changed, int Created, int Updated, int Ended, int MissingEnded, int ChangesRecorded,
    IReadOnlyList<EmploymentEvent> EmploymentEvents);

/// <summary>
/// Writes a checked staff plan inside the caller's write transaction: new people and their schools through
/// <see cref="RowInserter"/> with ids assigned here (the write lock is held, so no one else assigns one meanwhile),
/// changed records through prepared UPDATE commands, and one directory change row per status, school system and
/// schools change. Nothing is tracked by EF.
/// </summary>
internal static class StaffDirectoryWriter
{
    public static async Task<StaffWriteResult> WriteAsync(
        EserSecurityDbContext db, StaffImportPlan plan, IReadOnlyList<DirectoryMissingPerson> toEnd, DateOnly missingEndedOn,
        int importId, DateTimeOffset now, DirectoryLookups lookups, IProgress<DirectoryImportProgress>? progress, CancellationToken ct)
    {
        var total = plan.Creates.Count + plan.Updates.Count + toEnd.Count;
        var done = 0;
        void Report(int rows)
        {
            done += rows;
            progress?.Report(new DirectoryImportProgress(DirectoryImportStage.Writing, done, total));
        }
        var changed = new List<(int, int?)>(total);
        var connection = db.Database.GetDbConnection();
        var transaction = db.Database.CurrentTransaction?.GetDbTransaction()
            ?? throw new InvalidOperationException("The staff directory is written inside the import's write transaction.");

        // New people, with ids from the current maximum on.
        var nextId = await MaxIdAsync(connection, transaction, db, ct) + 1;
        var people = new List<StaffMember>(plan.Creates.Count);
        var links = new List<StaffSchool>(plan.Creates.Count * 2);
        foreach (var v in plan.Creates)
        {
            var id = nextId++;
            people.Add(new StaffMember
            {
                Id = id, StaffId = v.StaffId, FirstName = v.FirstName, LastName = v.LastName, Email = v.Email, Position = v.Position,
                Username = v.Username, SchoolSystemId = v.SchoolSystemId, EmploymentStatus = v.Status, EmploymentEndedOn = v.EndedOn,
            });
            foreach (var schoolId in v.SchoolIds)
            {
                links.Add(new StaffSchool { StaffMemberId = id, SchoolId = schoolId });
            }
            changed.Add((id, v.SchoolSystemId));
        }
        await InsertPeopleAsync(connection, transaction, db, people, Report, ct);
        await IdentitySequences.AlignAsync(db, typeof(StaffMember), ct);
        await InsertLinksAsync(connection, transaction, db, links, ct);

        // Changed records and their directory changes; a new person whose end is still to come gets its history row too.
        var directoryChanges = new List<StaffDirectoryChange>();
        foreach (var person in people.Where(p => StaffMember.EndIsScheduled(p.EmploymentStatus, p.EmploymentEndedOn)))
        {
            directoryChanges.Add(new StaffDirectoryChange
            {
                StaffMemberId = person.Id, Kind = StaffDirectoryChangeKind.EmploymentEndScheduled, NewValue = IsoDate(person.EmploymentEndedOn),
                FromSchoolSystemId = person.SchoolSystemId, ToSchoolSystemId = person.SchoolSystemId, EffectiveOn = person.EmploymentEndedOn!.Value,
                DirectoryImportId = importId, RecordedAt = now,
            });
        }
        var events = new List<EmploymentEvent>();
        var decisionChanges = new List<AccessDecisionChange>();
        var ended = 0;
        await using (var update = Prepare(connection, transaction, db))
        await using (var clearSchools = Command(connection, transaction,
            $"DELETE FROM {Table<StaffSchool>(db)} WHERE {Column<StaffSchool>(db, nameof(StaffSchool.StaffMemberId))} = @id", ("@id", null)))
        await using (var addSchool = Command(connection, transaction,
            $"INSERT INTO {Table<StaffSchool>(db)} ({Column<StaffSchool>(db, nameof(StaffSchool.StaffMemberId))}, {Column<StaffSchool>(db, nameof(StaffSchool.SchoolId))}) VALUES (@id, @school)",
            ("@id", null), ("@school", null)))
        {
            var sinceReport = 0;
            foreach (var u in plan.Updates)
            {
                await update.RunAsync(u.Old.Id, u.New, ct);
                if (u.SchoolsChanged || u.SchoolSystemChanged)
                {
                    clearSchools.Parameters[0].Value = u.Old.Id;
                    await clearSchools.ExecuteNonQueryAsync(ct);
                    foreach (var schoolId in u.New.SchoolIds)
                    {
                        addSchool.Parameters[0].Value = u.Old.Id;
                        addSchool.Parameters[1].Value = schoolId;
                        await addSchool.ExecuteNonQueryAsync(ct);
                    }
                }
                RecordChanges(u, importId, now, lookups, directoryChanges);
                if (DecisionChangeCapture.ForEmploymentStatus(u.Old.Id, u.Old.Status, u.New.Status, now) is { } decisionChange)
                {
                    decisionChanges.Add(decisionChange);
                }
                if (u.StatusChanged && u.New.Status == EmploymentStatus.Ended)
                {
                    ended++;
                }
                if (EmploymentEventOf(u) is { } employmentEvent)
                {
                    events.Add(employmentEvent);
                }
                changed.Add((u.Old.Id, u.New.SchoolSystemId));
                if (++sinceReport == RowInserter.ProgressInterval)
                {
                    Report(sinceReport);
                    sinceReport = 0;
                }
            }
            Report(sinceReport);

            foreach (var missing in toEnd)
            {
                var old = lookups.StaffByStaffId[missing.StaffId];
                var values = new PersonValues(old.StaffId, old.FirstName, old.LastName, old.Email, old.Position, old.Username,
                    old.SchoolSystemId!.Value, EmploymentStatus.Ended, missingEndedOn, old.SchoolIds, missingEndedOn);
                await update.RunAsync(old.Id, values, ct);
                RecordChanges(new PersonUpdate(old, values), importId, now, lookups, directoryChanges);
                if (DecisionChangeCapture.ForEmploymentStatus(old.Id, old.Status, EmploymentStatus.Ended, now) is { } decisionChange)
                {
                    decisionChanges.Add(decisionChange);
                }
                events.Add(new EmploymentEvent(old.Id, EmploymentEventKind.Ended, old.SchoolSystemId, [], missingEndedOn));
                changed.Add((old.Id, old.SchoolSystemId));
            }
            Report(toEnd.Count);
        }
        await RowInserter.InsertAsync(db, directoryChanges, keysFromStore: true, null, ct);
        // The directory's rows bypass tracking, so their changes to access decisions are written here.
        await RowInserter.InsertAsync(db, decisionChanges, keysFromStore: true, null, ct);
        return new StaffWriteResult(changed, people.Count, plan.Updates.Count, ended, toEnd.Count, directoryChanges.Count, events);
    }

    /// <summary>
    /// The lifecycle event a changed record carries: ended (from any status), moved to another school system, or moved
    /// away from at least one school of the same school system. A return to Active, or a move that only adds schools,
    /// carries none: it restores nothing and takes nothing away.
    /// </summary>
    private static EmploymentEvent? EmploymentEventOf(PersonUpdate u)
    {
        if (u.StatusChanged && u.New.Status == EmploymentStatus.Ended)
        {
            return new EmploymentEvent(u.Old.Id, EmploymentEventKind.Ended, u.Old.SchoolSystemId, [], u.New.EffectiveOn);
        }
        if (u.New.Status == EmploymentStatus.Ended)
        {
            return null;
        }
        if (u.SchoolSystemChanged && u.Old.SchoolSystemId is not null)
        {
            return new EmploymentEvent(u.Old.Id, EmploymentEventKind.MovedSchoolSystem, u.Old.SchoolSystemId, [], u.New.EffectiveOn);
        }
        if (u.SchoolsChanged)
        {
            var left = u.Old.SchoolIds.Except(u.New.SchoolIds).ToArray();
            return left.Length == 0 ? null : new EmploymentEvent(u.Old.Id, EmploymentEventKind.MovedSchools, u.Old.SchoolSystemId, left, u.New.EffectiveOn);
        }
        return null;
    }

    /// <summary>
    /// New staff records through one prepared command, synchronously: SQLite does no I/O asynchronously, and a task per
    /// row is what makes a loop of a hundred thousand slower than it needs to be. Parameters are named with '@', which
    /// both providers read.
    /// </summary>
    private static async Task InsertPeopleAsync(
        DbConnection connection, DbTransaction transaction, EserSecurityDbContext db, List<StaffMember> people, Action<int> report, CancellationToken ct)
    {
        string C(string property) => Column<StaffMember>(db, property);
        await using var insert = Command(connection, transaction,
            $"INSERT INTO {Table<StaffMember>(db)} ({C(nameof(StaffMember.Id))}, {C(nameof(StaffMember.StaffId))}, {C(nameof(StaffMember.Username))}, " +
            $"{C(nameof(StaffMember.FirstName))}, {C(nameof(StaffMember.LastName))}, {C(nameof(StaffMember.Email))}, {C(nameof(StaffMember.SchoolSystemId))}, " +
            $"{C(nameof(StaffMember.Position))}, {C(nameof(StaffMember.EmploymentStatus))}, {C(nameof(StaffMember.EmploymentEndedOn))}) " +
            "VALUES (@id, @staffId, @username, @first, @last, @email, @lea, @position, @status, @ended)",
            ("@id", null), ("@staffId", null), ("@username", null), ("@first", null), ("@last", null), ("@email", null), ("@lea", null),
            ("@position", null), ("@status", null), ("@ended", null));
        await insert.PrepareAsync(ct);
        var p = insert.Parameters;
        var written = 0;
        foreach (var person in people)
        {
            p[0].Value = person.Id;
            p[1].Value = person.StaffId;
            p[2].Value = (object?)person.Username ?? DBNull.Value;
            p[3].Value = person.FirstName;
            p[4].Value = person.LastName;
            p[5].Value = person.Email;
            p[6].Value = (object?)person.SchoolSystemId ?? DBNull.Value;
            p[7].Value = person.Position;
            p[8].Value = person.EmploymentStatus.ToString();
            p[9].Value = (object?)person.EmploymentEndedOn ?? DBNull.Value;
            insert.ExecuteNonQuery();
            if (++written % RowInserter.ProgressInterval == 0)
            {
                ct.ThrowIfCancellationRequested();
                report(RowInserter.ProgressInterval);
            }
        }
        report(written % RowInserter.ProgressInterval);
    }

    private static async Task InsertLinksAsync(
        DbConnection connection, DbTransaction transaction, EserSecurityDbContext db, List<StaffSchool> links, CancellationToken ct)
    {
        await using var insert = Command(connection, transaction,
            $"INSERT INTO {Table<StaffSchool>(db)} ({Column<StaffSchool>(db, nameof(StaffSchool.StaffMemberId))}, {Column<StaffSchool>(db, nameof(StaffSchool.SchoolId))}) VALUES (@id, @school)",
            ("@id", null), ("@school", null));
        await insert.PrepareAsync(ct);
        foreach (var link in links)
        {
            insert.Parameters[0].Value = link.StaffMemberId;
            insert.Parameters[1].Value = link.SchoolId;
            insert.ExecuteNonQuery();
        }
    }

    private static void RecordChanges(PersonUpdate u, int importId, DateTimeOffset now, DirectoryLookups lookups, List<StaffDirectoryChange> into)
    {
        StaffDirectoryChange Change(StaffDirectoryChangeKind kind, string? old, string? next) => new()
        {
            StaffMemberId = u.Old.Id, Kind = kind, OldValue = Clip(old), NewValue = Clip(next), FromSchoolSystemId = u.Old.SchoolSystemId,
            ToSchoolSystemId = u.New.SchoolSystemId, EffectiveOn = u.New.EffectiveOn, DirectoryImportId = importId, RecordedAt = now,
        };
        if (u.StatusChanged)
        {
            into.Add(Change(StaffDirectoryChangeKind.EmploymentStatusChanged, u.Old.Status.ToString(), u.New.Status.ToString()));
        }
        var wasScheduled = StaffMember.EndIsScheduled(u.Old.Status, u.Old.EndedOn);
        if (StaffMember.EndIsScheduled(u.New.Status, u.New.EndedOn) && u.Old.EndedOn != u.New.EndedOn)
        {
            var scheduled = Change(StaffDirectoryChangeKind.EmploymentEndScheduled, wasScheduled ? IsoDate(u.Old.EndedOn) : null, IsoDate(u.New.EndedOn));
            scheduled.EffectiveOn = u.New.EndedOn!.Value;
            into.Add(scheduled);
        }
        else if (wasScheduled && u.New.Status != EmploymentStatus.Ended && u.New.EndedOn is null)
        {
            into.Add(Change(StaffDirectoryChangeKind.EmploymentEndCancelled, IsoDate(u.Old.EndedOn), null));
        }
        if (u.SchoolSystemChanged)
        {
            into.Add(Change(StaffDirectoryChangeKind.SchoolSystemChanged,
                u.Old.SchoolSystemId is int from ? lookups.SchoolSystemsById[from].Code : null, lookups.SchoolSystemsById[u.New.SchoolSystemId].Code));
        }
        if (u.SchoolsChanged)
        {
            into.Add(Change(StaffDirectoryChangeKind.SchoolsChanged,
                StaffDirectoryChecker.SiteCodes(u.Old.SchoolIds, lookups), StaffDirectoryChecker.SiteCodes(u.New.SchoolIds, lookups)));
        }
    }

    private static string? IsoDate(DateOnly? day) => day is { } d ? Documents.DocumentDates.Iso(d) : null;

    private static string? Clip(string? value) =>
        value is { Length: > StaffDirectoryChange.ValueMaxLength } ? value[..(StaffDirectoryChange.ValueMaxLength - 1)] + "…" : value;

    private static async Task<int> MaxIdAsync(DbConnection connection, DbTransaction transaction, EserSecurityDbContext db, CancellationToken ct)
    {
        await using var command = Command(connection, transaction,
            $"SELECT COALESCE(MAX({Column<StaffMember>(db, nameof(StaffMember.Id))}), 0) FROM {Table<StaffMember>(db)}");
        return Convert.ToInt32(await command.ExecuteScalarAsync(ct), System.Globalization.CultureInfo.InvariantCulture);
    }

    private static UpdatePerson Prepare(DbConnection connection, DbTransaction transaction, EserSecurityDbContext db)
    {
        string C(string property) => Column<StaffMember>(db, property);
        var command = Command(connection, transaction,
            $"UPDATE {Table<StaffMember>(db)} SET {C(nameof(StaffMember.FirstName))} = @first, {C(nameof(StaffMember.LastName))} = @last, " +
            $"{C(nameof(StaffMember.Email))} = @email, {C(nameof(StaffMember.Position))} = @position, {C(nameof(StaffMember.Username))} = @username, " +
            $"{C(nameof(StaffMember.SchoolSystemId))} = @lea, {C(nameof(StaffMember.EmploymentStatus))} = @status, " +
            $"{C(nameof(StaffMember.EmploymentEndedOn))} = @ended WHERE {C(nameof(StaffMember.Id))} = @id",
            ("@first", null), ("@last", null), ("@email", null), ("@position", null), ("@username", null), ("@lea", null), ("@status", null),
            ("@ended", null), ("@id", null));
        return new UpdatePerson(command);
    }

    /// <summary>The prepared UPDATE of one staff record; the status is stored by name, the end date as a DateOnly that each provider stores as EF does.</summary>
    private sealed class UpdatePerson(DbCommand command) : IAsyncDisposable
    {
        public async Task RunAsync(int id, PersonValues v, CancellationToken ct)
        {
            var p = command.Parameters;
            p[0].Value = v.FirstName;
            p[1].Value = v.LastName;
            p[2].Value = v.Email;
            p[3].Value = v.Position;
            p[4].Value = (object?)v.Username ?? DBNull.Value;
            p[5].Value = v.SchoolSystemId;
            p[6].Value = v.Status.ToString();
            p[7].Value = (object?)v.EndedOn ?? DBNull.Value;
            p[8].Value = id;
            if (await command.ExecuteNonQueryAsync(ct) != 1)
            {
                throw new InvalidOperationException($"Staff record {id} was not found while importing.");
            }
        }

        public ValueTask DisposeAsync() => command.DisposeAsync();
    }

    private static DbCommand Command(DbConnection connection, DbTransaction transaction, string sql, params (string Name, object? Value)[] parameters)
    {
        var command = connection.CreateCommand();
        command.Transaction = transaction;
        command.CommandText = sql;
        foreach (var (name, value) in parameters)
        {
            var parameter = command.CreateParameter();
            parameter.ParameterName = name;
            parameter.Value = value ?? DBNull.Value;
            command.Parameters.Add(parameter);
        }
        return command;
    }

    private static string Table<T>(EserSecurityDbContext db) => DirectoryLookups.Table<T>(db);

    private static string Column<T>(EserSecurityDbContext db, string property) => DirectoryLookups.Column<T>(db, property);
}
