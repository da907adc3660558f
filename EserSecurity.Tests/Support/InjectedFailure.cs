using EserSecurity.Core.Data;
using Microsoft.EntityFrameworkCore;

namespace EserSecurity.Tests.Support;

/// <summary>
/// A fault injected from outside the code under test: the database itself refuses a write with "injected failure",
/// through a trigger written in the dialect of the provider the test runs on. Names are the test's own, never input.
/// </summary>
internal static class InjectedFailure
{
    /// <summary>Refuses the <paramref name="onInsert"/>-th row inserted into <paramref name="table"/> from now on (1 = the first).</summary>
    public static Task OnInsertAsync(TestDatabase database, string table, int onInsert = 1) => RunAsync(database,
        TestDatabase.Provider == DatabaseProvider.Postgres
            ? $"""
              CREATE SEQUENCE injected_failure_count;
              CREATE FUNCTION injected_failure() RETURNS trigger LANGUAGE plpgsql AS $$
              BEGIN
                  IF nextval('injected_failure_count') >= {onInsert} THEN RAISE EXCEPTION 'injected failure'; END IF;
                  RETURN NEW;
              END $$;
              CREATE TRIGGER injected_failure AFTER INSERT ON "{table}" FOR EACH ROW EXECUTE FUNCTION injected_failure();
              """
            : $"""
              CREATE TABLE injected_failure_count (N INTEGER NOT NULL); INSERT INTO injected_failure_count VALUES (0);
              CREATE TRIGGER injected_failure AFTER INSERT ON "{table}"
              BEGIN
                  UPDATE injected_failure_count SET N = N + 1;
                  SELECT RAISE(ABORT, 'injected failure') WHERE (SELECT N FROM injected_failure_count) >= {onInsert};
              END;
              """);

    /// <summary>Refuses any update of <paramref name="column"/> on the row of <paramref name="table"/> whose Id is <paramref name="id"/>.</summary>
    public static Task OnUpdateOfAsync(TestDatabase database, string table, string column, int id) => RunAsync(database,
        TestDatabase.Provider == DatabaseProvider.Postgres
            ? $"""
              CREATE FUNCTION injected_failure() RETURNS trigger LANGUAGE plpgsql AS $$
              BEGIN
                  IF NEW."Id" = {id} THEN RAISE EXCEPTION 'injected failure'; END IF;
                  RETURN NEW;
              END $$;
              CREATE TRIGGER injected_failure BEFORE UPDATE OF "{column}" ON "{table}" FOR EACH ROW EXECUTE FUNCTION injected_failure();
              """
            : $"""
              CREATE TRIGGER injected_failure BEFORE UPDATE OF "{column}" ON "{table}" WHEN NEW.Id = {id}
              BEGIN SELECT RAISE(ABORT, 'injected failure'); END;
              """);

    /// <summary>Refuses every row removed from <paramref name="table"/>.</summary>
    public static Task OnDeleteAsync(TestDatabase database, string table) => RunAsync(database,
        TestDatabase.Provider == DatabaseProvider.Postgres
            ? $"""
              CREATE FUNCTION injected_failure() RETURNS trigger LANGUAGE plpgsql AS $$
              BEGIN RAISE EXCEPTION 'injected failure'; END $$;
              CREATE TRIGGER injected_failure BEFORE DELETE ON "{table}" FOR EACH ROW EXECUTE FUNCTION injected_failure();
              """
            : $"""CREATE TRIGGER injected_failure BEFORE DELETE ON "{table}" BEGIN SELECT RAISE(ABORT, 'injected failure'); END;""");

    /// <summary>Takes the injected failure on <paramref name="table"/> away again.</summary>
    public static Task RemoveAsync(TestDatabase database, string table) => RunAsync(database,
        TestDatabase.Provider == DatabaseProvider.Postgres
            ? $"""DROP TRIGGER injected_failure ON "{table}"; DROP FUNCTION injected_failure(); DROP SEQUENCE IF EXISTS injected_failure_count;"""
            : "DROP TRIGGER injected_failure; DROP TABLE IF EXISTS injected_failure_count;");

    private static async Task RunAsync(TestDatabase database, string sql)
    {
        await using var db = await database.OpenAsync();
        await db.Database.ExecuteSqlRawAsync(sql);
    }
}
