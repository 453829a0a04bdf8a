namespace IntentVision.LibSql.Execution;

/// <summary>One ADO.NET command's text and parameters, as a command or a batch command hands them to the planner.</summary>
internal readonly record struct CommandInput(string CommandText, IReadOnlyList<LibSqlParameter> Parameters);
