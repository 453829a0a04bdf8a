using IntentVision.Migrator;

return await new MigratorApp(Console.Out, Console.Error).RunAsync(args);
