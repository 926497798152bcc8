using AiFactory.Fuzz;

return FuzzCommand.Run(args);
