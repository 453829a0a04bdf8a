using System.Text;
using IntentVision.LibSql.Hrana;

namespace IntentVision.LibSql.Tests.Hrana;

public sealed class HranaJsonParserTests
{
    [Fact]
    public void ValuesParseInAnyPropertyOrderAndWholeFloatsStayFloats()
    {
        var json = """
            {"results":[{"response":{"result":{"rows":[[{"value":"9223372036854775807","type":"integer"},{"type":"float","value":3},{"base64":"AAE","type":"blob"},{"type":"null"},{"type":"text","value":"\u00e9\ud83c\udf0d"}]],
            "cols":[{"name":"a","decltype":"INTEGER"},{"name":"b"},{"name":"c"},{"name":"d"},{"name":"e"}],"affected_row_count":0,"last_insert_rowid":null,"future":{"x":[1]}},"type":"execute"},"type":"ok"}],"baton":"b1","base_url":null}
            """;
        var response = HranaJsonParser.ParsePipeline(Encoding.UTF8.GetBytes(json));
        Assert.Equal("b1", response.Baton);
        var result = response.Results[0].Execute!;
        Assert.Equal(1, result.RowCount);
        Assert.Equal(long.MaxValue, result.Values[0].Integer);
        Assert.Equal(HranaValueKind.Float, result.Values[1].Kind);
        Assert.Equal(3.0, result.Values[1].Float);
        Assert.Equal(new byte[] { 0, 1 }, result.Values[2].Blob);
        Assert.True(result.Values[3].IsNull);
        Assert.Equal("é🌍", result.Values[4].Text);
        Assert.Equal("INTEGER", result.Columns[0].DeclaredType);
    }

    [Fact]
    public void BatchResultsAndErrorsLineUpByStep()
    {
        var json = """{"baton":null,"results":[{"type":"ok","response":{"type":"batch","result":{"step_results":[{"cols":[],"rows":[],"affected_row_count":2,"last_insert_rowid":"5"},null,null],"step_errors":[null,{"message":"boom","code":"SQLITE_ERROR"},null]}}},{"type":"error","error":{"message":"gone","code":"STREAM_EXPIRED"}}]}""";
        var response = HranaJsonParser.ParsePipeline(Encoding.UTF8.GetBytes(json));
        var batch = response.Results[0].Batch!;
        Assert.Equal(2, batch.ResultAt(0)!.AffectedRowCount);
        Assert.Equal(5L, batch.ResultAt(0)!.LastInsertRowId);
        Assert.Equal("SQLITE_ERROR", batch.ErrorAt(1)!.Code);
        Assert.Null(batch.ResultAt(2));
        Assert.Equal("STREAM_EXPIRED", response.Results[1].Error!.Code);
    }
}
