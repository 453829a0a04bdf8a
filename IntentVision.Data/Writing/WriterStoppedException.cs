namespace IntentVision.Data.Writing;

/// <summary>The <see cref="DatabaseWriter"/> has stopped (the process is shutting down): the write was not accepted, nothing of it was stored.</summary>
public sealed class WriterStoppedException(string message) : InvalidOperationException(message);
