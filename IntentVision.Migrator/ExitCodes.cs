namespace IntentVision.Migrator;

/// <summary>The migrator's exit codes; <c>--help</c> and the README list them.</summary>
public static class ExitCodes
{
    public const int Success = 0;

    /// <summary>A migration (or a rollback, or a restore) failed and was rolled back.</summary>
    public const int Failed = 1;

    /// <summary>Bad arguments or an invalid migrations folder (names, gaps, duplicates, stray files).</summary>
    public const int InvalidInput = 2;

    /// <summary>Refused: drift, a missing migration file, a missing down file, a non-empty restore target.</summary>
    public const int Refused = 3;

    /// <summary>The database could not be reached or rejected the credentials.</summary>
    public const int ConnectionFailed = 4;

    /// <summary>`status --check` only: the database is reachable but not current (pending migrations).</summary>
    public const int Pending = 5;

    /// <summary>Another run held the migration lock for longer than --lock-timeout; nothing was applied.</summary>
    public const int LockTimeout = 6;

    public const string HelpText = """
        Exit codes: 0 success; 1 a migration, rollback or restore failed and was rolled back (verify: a migration fails
        from zero); 2 invalid arguments or migrations folder; 3 refused (drift, missing file, missing down file,
        non-empty restore target; verify: checksum or schema differences); 4 database unreachable;
        5 (status --check) migrations pending; 6 another run holds the migration lock (waited --lock-timeout).
        """;
}
