using System.Net.Http.Headers;
using System.Text;

namespace IntentVision.Api.Tests.Probe;

/// <summary>One request of the probe; <see cref="Description"/> says what it tries, for the failure report.</summary>
internal sealed record ProbeRequest(string Method, string Path, string? Body, string? ContentType, string Description, bool AsPlatformAdmin = false, string? NamedOrganization = null)
{
    public HttpRequestMessage ToMessage()
    {
        var message = new HttpRequestMessage(new HttpMethod(Method), Path);
        if (Body is not null)
        {
            var content = new ByteArrayContent(Encoding.UTF8.GetBytes(Body));
            if (ContentType is not null)
            {
                content.Headers.ContentType = MediaTypeHeaderValue.Parse(ContentType);
            }

            message.Content = content;
        }

        if (NamedOrganization is not null)
        {
            message.Headers.TryAddWithoutValidation("X-IntentVision-Organization", NamedOrganization);
        }

        return message;
    }

    public override string ToString() => $"{Method} {Path} [{Description}]";
}
