using System.Security.Cryptography.X509Certificates;

namespace Actors.TestInfrastructure.Xmpp;

/// <summary>What tests need from a real XMPP server fixture, whichever server it is.</summary>
public interface IXmppTestServer : ITestServer
{
    /// <summary>Server name, e.g. "prosody", for test output.</summary>
    string Kind { get; }

    /// <summary>The XMPP domain (VirtualHost) accounts live on.</summary>
    string Domain { get; }

    /// <summary>Always 127.0.0.1.</summary>
    string Host { get; }

    /// <summary>Client-to-server port on <see cref="Host"/>.</summary>
    int Port { get; }

    /// <summary>TLS or plaintext.</summary>
    XmppSecurity Security { get; }

    /// <summary>PEM path of the self-signed certificate; null in plaintext mode.</summary>
    string? CertificatePath { get; }

    /// <summary>The self-signed certificate to trust; null in plaintext mode.</summary>
    X509Certificate2? Certificate { get; }

    /// <summary>How long the last start took until the server was ready.</summary>
    TimeSpan LastStartDuration { get; }

    /// <summary>Creates the account <c>user@Domain</c>.</summary>
    Task RegisterAsync(string user, string password, CancellationToken cancellationToken = default);


    /// <summary>Stops the server gracefully; kills it after the stop timeout.</summary>
    Task StopAsync(CancellationToken cancellationToken = default);

    /// <summary>Kills the server with SIGKILL, as a crash would.</summary>
    void Kill();
}
