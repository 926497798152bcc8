using AiFactory.Edge.Cli;

return await EdgeCli.Build().Parse(args).InvokeAsync();
