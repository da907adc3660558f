using System.Text.RegularExpressions;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata;

namespace EserSecurity.Core.Data;

/// <summary>
/// PostgreSQL folds unquoted names to lower case, and every table and column here is named in Pascal case. The check
/// constraints are written once, in SQLite's words; on PostgreSQL their column names are quoted before the model is
/// used, so both migration sets come from the same configuration.
/// </summary>
internal static partial class PostgresNames
{
    public static void QuoteCheckConstraints(ModelBuilder modelBuilder)
    {
        foreach (var entityType in modelBuilder.Model.GetEntityTypes())
        {
            if (entityType.GetTableName() is not { } tableName)
            {
                continue;
            }
            var table = StoreObjectIdentifier.Table(tableName, entityType.GetSchema());
            var columns = entityType.GetProperties().Select(p => p.GetColumnName(table)).OfType<string>().ToHashSet();
            foreach (var constraint in entityType.GetCheckConstraints().ToList())
            {
                var sql = Quoted(constraint.Sql, columns);
                entityType.RemoveCheckConstraint(constraint.ModelName);
                entityType.AddCheckConstraint(constraint.ModelName, sql).Name = constraint.Name;
            }
        }
    }

    /// <summary>Quotes each bare column name outside the string literals (the even parts between single quotes).</summary>
    private static string Quoted(string sql, HashSet<string> columns)
    {
        var parts = sql.Split('\'');
        for (var i = 0; i < parts.Length; i += 2)
        {
            parts[i] = BareName().Replace(parts[i], m => columns.Contains(m.Value) ? $"\"{m.Value}\"" : m.Value);
        }
        return string.Join('\'', parts);
    }

    [GeneratedRegex("(?<![\"\\w])[A-Za-z_]\\w*(?![\"\\w])")]
    private static partial Regex BareName();
}
