return await AiFactory.Hub.Cli.HubCli.RunAsync(args).ConfigureAwait(false);
