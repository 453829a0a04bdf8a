namespace IntentVision.Data.Migrations;

/// <summary>One statement of a script: its 1-based position, the line it starts on, and its text.</summary>
public sealed record SqlStatement(int Number, int Line, string Text)
{
    /// <summary>The statement's first line, for error messages.</summary>
    public string FirstLine
    {
        get
        {
            var newline = Text.IndexOf('\n');
            return (newline < 0 ? Text : Text[..newline]).TrimEnd('\r', ' ');
        }
    }
}
