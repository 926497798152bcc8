return await AiFactory.Cli.ModelCli.RunAsync(args, Console.Out, Console.Error).ConfigureAwait(false);
