using System.CommandLine;
using IntentVision.Evaluation.M4;
using IntentVision.Evaluation.Nab;

var root = new RootCommand("IntentVision evaluation harness: M4 forecasting (every frequency) and NAB anomaly detection.")
{
    M4Command.Create(),
    NabCommand.Create(),
};
return root.Parse(args).Invoke();
