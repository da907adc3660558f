using System.Data.Common;
using EserSecurity.Core.Data;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata;
using Microsoft.EntityFrameworkCore.Storage;

namespace EserSecurity.Core.DemoState;

/// <summary>
/// Creates a deterministic fictional state (fixed seed) for demos and tests: school systems, schools, staff, the
/// role catalog, the TAS report, coordinators, requests, grants, assurance signatures and key dates, all relative
/// to today so the state always stands a few weeks before go-live.
/// </summary>
public sealed class DemoStateGenerator(TimeProvider clock)
{
    /// <summary>Seeds an empty database in one transaction. <see cref="DemoStateSize.None"/> does nothing.</summary>
    public async Task SeedAsync(EserSecurityDbContext db, DemoStateSize size, CancellationToken ct = default)
    {
        if (size == DemoStateSize.None)
        {
            return;
        }
        if (await db.SchoolSystems.AnyAsync(ct) || await db.StaffMembers.AnyAsync(ct))
        {
            throw new InvalidOperationException("The demo state can only be created in an empty database.");
        }

        // Anchored at the start of the UTC day, so the same size on the same day always builds the same state.
        var startOfDay = new DateTimeOffset(clock.GetUtcNow().UtcDateTime.Date, TimeSpan.Zero);
        var data = new DemoStateBuilder(size, startOfDay).Build();

        await using var transaction = await db.Database.BeginTransactionAsync(ct);
        // School systems carry an owned policy, so EF writes them; the rest is plain rows.
        db.SchoolSystems.AddRange(data.SchoolSystems);
        await db.SaveChangesAsync(ct);
        db.ChangeTracker.Clear();
        await InsertAsync(db, data.Schools, ct);
        await InsertAsync(db, data.StaffMembers, ct);
        await InsertAsync(db, data.StaffSchools, ct);
        await InsertAsync(db, data.EserRoles, ct);
        await InsertAsync(db, data.TasRoles, ct);
        await InsertAsync(db, data.LegacySerAccess, ct);
        await InsertAsync(db, data.SchoolGroups, ct);
        await InsertAsync(db, data.SchoolGroupMembers, ct);
        await InsertAsync(db, data.CoordinatorAssignments, ct);
        await InsertAsync(db, data.SupervisorAssignments, ct);
        await InsertAsync(db, data.StateAdministrators, ct);
        await InsertAsync(db, data.AccessRequests, ct);
        await InsertAsync(db, data.AccessRequestSteps, ct);
        await InsertAsync(db, data.AccessGrants, ct);
        await InsertAsync(db, data.AccessReviews, ct);
        await InsertAsync(db, data.AccessReviewItems, ct);
        await InsertAsync(db, data.StatementVersions, ct);
        await InsertAsync(db, data.AssuranceSignatures, ct);
        await InsertAsync(db, data.KeyDates, ct);
        await transaction.CommitAsync(ct);
    }

    /// <summary>
    /// Inserts rows through one prepared command. SaveChanges takes about ten times as long for the Full state, so
    /// columns and values come from EF's own model and type mappings: rows are stored exactly as EF would store
    /// them (enums by name, DateTimeOffset as binary, Guid as text), and a renamed column cannot go stale here.
    /// </summary>
    private static async Task InsertAsync<T>(EserSecurityDbContext db, List<T> rows, CancellationToken ct)
        where T : class
    {
        if (rows.Count == 0)
        {
            return;
        }
        var entityType = db.Model.FindEntityType(typeof(T))
            ?? throw new InvalidOperationException($"{typeof(T).Name} is not part of the model.");
        var table = StoreObjectIdentifier.Table(entityType.GetTableName()!, entityType.GetSchema());

        await using var command = db.Database.GetDbConnection().CreateCommand();
        command.Transaction = db.Database.CurrentTransaction!.GetDbTransaction();
        var columns = new List<Column>();
        foreach (var property in entityType.GetProperties())
        {
            if (property.IsShadowProperty())
            {
                throw new InvalidOperationException($"{entityType.DisplayName()}.{property.Name} is a shadow property, which the demo state cannot fill.");
            }
            var mapping = property.GetRelationalTypeMapping();
            var parameter = mapping.CreateParameter(command, $"@p{columns.Count}", null, property.IsNullable);
            command.Parameters.Add(parameter);
            columns.Add(new Column(property.GetColumnName(table)!, property.GetGetter(), mapping, parameter));
        }
        command.CommandText =
            $"INSERT INTO \"{table.Name}\" ({string.Join(", ", columns.Select(c => $"\"{c.Name}\""))}) " +
            $"VALUES ({string.Join(", ", columns.Select(c => c.Parameter.ParameterName))})";
        await command.PrepareAsync(ct);

        foreach (var row in rows)
        {
            foreach (var column in columns)
            {
                var value = column.Getter.GetClrValueUsingContainingEntity(row);
                column.Parameter.Value = value is null ? DBNull.Value
                    : column.Mapping.Converter is { } converter ? converter.ConvertToProvider(value) ?? DBNull.Value
                    : value;
            }
            await command.ExecuteNonQueryAsync(ct);
        }
    }

    private sealed record Column(string Name, IClrPropertyGetter Getter, RelationalTypeMapping Mapping, DbParameter Parameter);
}
