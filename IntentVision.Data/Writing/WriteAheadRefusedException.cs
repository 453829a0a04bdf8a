namespace IntentVision.Data.Writing;

/// <summary>
/// Units could not be written ahead together (see <see cref="IWriteAhead"/>): the <see cref="DatabaseWriter"/> rolls the
/// group back, nothing of it committed, and runs it again with every unit writing for itself under its own savepoint.
/// </summary>
public sealed class WriteAheadRefusedException(string message, Exception? innerException = null) : Exception(message, innerException);
