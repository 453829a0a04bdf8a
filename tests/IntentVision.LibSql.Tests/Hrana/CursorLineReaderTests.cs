using System.Text;
using IntentVision.LibSql.Hrana;

namespace IntentVision.LibSql.Tests.Hrana;

public sealed class CursorLineReaderTests
{
    private const string Response = """
        {"baton":"b2","base_url":null}
        {"row":[{"value":"42","type":"integer"},{"type":"text","value":"a\nb"}],"type":"row"}

        {"type":"step_begin","step":1,"cols":[{"name":"x","decltype":"INTEGER"}]}
        {"type":"replication_index","replication_index":7}
        {"type":"step_end","affected_row_count":3,"last_insert_rowid":"12"}
        {"type":"step_error","step":2,"error":{"message":"boom","code":"SQLITE_ERROR"}}
        {"type":"error","error":{"message":"gone"}}
        """;

    [Theory]
    [InlineData(1)]
    [InlineData(7)]
    [InlineData(100_000)]
    public async Task LinesComeOutWholeHoweverTheBytesArrive(int chunk)
    {
        using var lines = new CursorLineReader(new TrickleStream(Encoding.UTF8.GetBytes(Response), chunk));
        var texts = new List<string>();
        while (await lines.ReadLineAsync(async: chunk % 2 == 1, null, CancellationToken.None) is { } line)
        {
            texts.Add(Encoding.UTF8.GetString(line.Span));
        }

        Assert.Equal(Response.Split('\n'), texts);
    }

    [Fact]
    public async Task ALineLongerThanTheBufferGrowsIt()
    {
        var blob = new string('A', 300_000);
        var text = "{\"type\":\"row\",\"row\":[{\"type\":\"blob\",\"base64\":\"" + blob + "\"}]}\nend\n";
        using var lines = new CursorLineReader(new TrickleStream(Encoding.UTF8.GetBytes(text), 4096));
        var first = (await lines.ReadLineAsync(async: false, null, CancellationToken.None))!.Value.ToArray();
        var row = Array.Empty<HranaValue>();
        var entry = HranaJsonParser.ParseCursorEntry(first, ref row, out var length);
        Assert.Equal(HranaCursorEntryKind.Row, entry.Kind);
        Assert.Equal(1, length);
        Assert.Equal(225_000, row[0].Blob.Length);
        Assert.Equal("end", Encoding.UTF8.GetString((await lines.ReadLineAsync(async: false, null, CancellationToken.None))!.Value.Span));
    }

    [Fact]
    public void EntriesParseInAnyFieldOrderAndUnknownKindsAreOther()
    {
        var lines = Response.Split('\n');
        Assert.Equal(("b2", (string?)null), HranaJsonParser.ParseCursorHead(Encoding.UTF8.GetBytes(lines[0])));
        var row = new HranaValue[1];

        var first = Parse(lines[1], ref row, out var length);
        Assert.Equal(HranaCursorEntryKind.Row, first.Kind);
        Assert.Equal(2, length);
        Assert.Equal(42L, row[0].Integer);
        Assert.Equal("a\nb", row[1].Text);

        Assert.True(HranaJsonParser.IsBlank(Encoding.UTF8.GetBytes(lines[2])));

        var begin = Parse(lines[3], ref row, out _);
        Assert.Equal((HranaCursorEntryKind.StepBegin, 1), (begin.Kind, begin.Step));
        Assert.Equal(new HranaColumn("x", "INTEGER"), Assert.Single(begin.Columns!));

        Assert.Equal(HranaCursorEntryKind.Other, Parse(lines[4], ref row, out _).Kind);

        var end = Parse(lines[5], ref row, out _);
        Assert.Equal((HranaCursorEntryKind.StepEnd, 3L, (long?)12), (end.Kind, end.AffectedRowCount, end.LastInsertRowId));

        var stepError = Parse(lines[6], ref row, out _);
        Assert.Equal((HranaCursorEntryKind.StepError, 2, "SQLITE_ERROR"), (stepError.Kind, stepError.Step, stepError.Error!.Code));

        var batchError = Parse(lines[7], ref row, out _);
        Assert.Equal((HranaCursorEntryKind.Error, "gone", (string?)null), (batchError.Kind, batchError.Error!.Message, batchError.Error.Code));
    }

    [Fact]
    public void AWholeCursorResponseFoldsIntoABatchResult()
    {
        var body = """
            {"baton":null,"base_url":null}
            {"type":"step_begin","step":0,"cols":[{"name":"x"}]}
            {"type":"row","row":[{"type":"integer","value":"1"}]}
            {"type":"row","row":[{"type":"integer","value":"2"}]}
            {"type":"step_end","affected_row_count":0,"last_insert_rowid":null}
            {"type":"step_error","step":1,"error":{"message":"no such table: t","code":"SQLITE_ERROR"}}
            """;
        var response = HranaJsonParser.ParseCursor(Encoding.UTF8.GetBytes(body), 2);
        var batch = response.Results[0].Batch!;
        Assert.Equal(2, batch.ResultAt(0)!.RowCount);
        Assert.Equal(2L, batch.ResultAt(0)!.Values[1].Integer);
        Assert.Equal("SQLITE_ERROR", batch.ErrorAt(1)!.Code);
    }

    private static HranaCursorEntry Parse(string line, ref HranaValue[] row, out int length) =>
        HranaJsonParser.ParseCursorEntry(Encoding.UTF8.GetBytes(line), ref row, out length);

    /// <summary>A network stream as it may behave: a few bytes per read, whatever the buffer offered.</summary>
    private sealed class TrickleStream(byte[] data, int chunk) : Stream
    {
        private int _position;

        public override bool CanRead => true;

        public override bool CanSeek => false;

        public override bool CanWrite => false;

        public override long Length => data.Length;

        public override long Position
        {
            get => _position;
            set => throw new NotSupportedException();
        }

        public override int Read(byte[] buffer, int offset, int count)
        {
            var n = Math.Min(Math.Min(chunk, count), data.Length - _position);
            data.AsSpan(_position, n).CopyTo(buffer.AsSpan(offset));
            _position += n;
            return n;
        }

        public override void Flush()
        {
        }

        public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();

        public override void SetLength(long value) => throw new NotSupportedException();

        public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();
    }
}
