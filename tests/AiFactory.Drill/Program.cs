using AiFactory.Drill;

// The standing fault drill (deploy/drill.sh): exits 1 when a record was lost or doubled or a scenario failed, 2 on a bad command line.
DrillOptions options;
try
{
    options = DrillOptions.Parse(args);
}
catch (ArgumentException e)
{
    await Console.Error.WriteLineAsync(e.Message);
    return 2;
}

var results = await FaultDrill.RunAsync(options, Console.Out);
ResultTable.Write(Console.Out, results);
return results.Any(r => r.Failed) ? 1 : 0;
