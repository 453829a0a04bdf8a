using IntentVision.Api.Alerting;
using IntentVision.Api.Egress;
using MailKit;
using MailKit.Net.Smtp;
using MailKit.Security;
using Microsoft.Extensions.Options;
using MimeKit;

namespace IntentVision.Api.Notifications;

/// <summary>Email through the configured SMTP server with MailKit, over a socket the <see cref="EgressConnector"/> opened.</summary>
public sealed class EmailSender(EgressConnector connector, IOptions<EmailOptions> options) : INotificationSender
{
    public string ChannelType => "email";

    public async Task<SendResult> SendAsync(NotificationChannel channel, NotificationMessage message, TimeSpan timeout, CancellationToken cancellationToken)
    {
        var smtp = options.Value;
        if (!smtp.Configured)
        {
            return new SendResult(false, false, "email_not_configured: this server has no SMTP settings", null);
        }

        var mail = new MimeMessage();
        mail.From.Add(MailboxAddress.Parse(smtp.From));
        foreach (var to in channel.To ?? [])
        {
            mail.To.Add(MailboxAddress.Parse(to));
        }

        mail.Subject = message.Title(channel);
        mail.Headers.Add("X-IntentVision-Event", message.Status);
        mail.Body = new TextPart("plain") { Text = message.Text(channel) };

        using var deadline = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        deadline.CancelAfter(timeout);
        using var client = new SmtpClient();
        try
        {
            var socket = await connector.ConnectAsync(smtp.Host!, smtp.Port, deadline.Token);
            await client.ConnectAsync(socket, smtp.Host!, smtp.Port, Security(smtp.Security), deadline.Token);
            if (!string.IsNullOrEmpty(smtp.Username))
            {
                await client.AuthenticateAsync(smtp.Username, smtp.Password ?? string.Empty, deadline.Token);
            }

            await client.SendAsync(mail, deadline.Token);
            await client.DisconnectAsync(quit: true, deadline.Token);
            return SendResult.Success;
        }
        catch (EgressException e)
        {
            return new SendResult(false, e.Failure != EgressFailure.RefusedByPolicy, e.Describe(), null);
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            return new SendResult(false, true, $"timed_out: no complete SMTP exchange within {timeout.TotalSeconds:0.#} s", null);
        }
        catch (SmtpCommandException e)
        {
            var status = (int)e.StatusCode;
            return new SendResult(false, status is >= 400 and < 500, $"bad_response: SMTP {status}", status);
        }
        catch (Exception e) when (e is IOException or SmtpProtocolException or ServiceNotConnectedException or AuthenticationException or SslHandshakeException or System.Net.Sockets.SocketException)
        {
            return new SendResult(false, true, "bad_response: the SMTP exchange failed", null);
        }
    }

    private static SecureSocketOptions Security(string name) => name switch
    {
        "none" => SecureSocketOptions.None,
        "starttls" => SecureSocketOptions.StartTls,
        "tls" => SecureSocketOptions.SslOnConnect,
        _ => SecureSocketOptions.StartTlsWhenAvailable,
    };
}
