namespace IntentVision.Data.Writing;

/// <summary>A unit of a group that succeeded, and the result its caller will get once the group commits.</summary>
public sealed record WrittenUnit(object Unit, object? Result);
