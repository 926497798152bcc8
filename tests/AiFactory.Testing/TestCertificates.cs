using System.Diagnostics;

namespace AiFactory.Testing;

/// <summary>
/// A throw-away PKI made with openssl in a folder: a CA, a broker certificate for 127.0.0.1 and localhost signed by
/// it, a client certificate signed by it, and a second, unrelated CA (a broker certificate it did not sign must be refused).
/// </summary>
public sealed class TestCertificates
{
    private TestCertificates(string folder) => Folder = folder;

    public string Folder { get; }

    public string CaFile => Path.Combine(Folder, "ca.crt");

    public string OtherCaFile => Path.Combine(Folder, "other-ca.crt");

    public string ServerCertFile => Path.Combine(Folder, "server.crt");

    public string ServerKeyFile => Path.Combine(Folder, "server.key");

    public string ClientCertFile => Path.Combine(Folder, "client.crt");

    public string ClientKeyFile => Path.Combine(Folder, "client.key");

    public static TestCertificates Create(string parent)
    {
        var pki = new TestCertificates(Directory.CreateDirectory(Path.Combine(parent, "pki")).FullName);
        File.WriteAllText(Path.Combine(pki.Folder, "server.ext"), "subjectAltName=IP:127.0.0.1,DNS:localhost\n");
        pki.Ca("ca");
        pki.Ca("other-ca");
        pki.Signed("server", "localhost", "-extfile", "server.ext");
        pki.Signed("client", "aifactory-edge-test");
        return pki;
    }

    private void Ca(string name) =>
        OpenSsl("req", "-x509", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:prime256v1", "-nodes", "-days", "2", "-subj", $"/CN=aifactory {name}", "-keyout", $"{name}.key", "-out", $"{name}.crt");

    private void Signed(string name, string commonName, params string[] extra)
    {
        OpenSsl("req", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:prime256v1", "-nodes", "-subj", $"/CN={commonName}", "-keyout", $"{name}.key", "-out", $"{name}.csr");
        OpenSsl(["x509", "-req", "-in", $"{name}.csr", "-CA", "ca.crt", "-CAkey", "ca.key", "-CAcreateserial", "-days", "2", "-out", $"{name}.crt", .. extra]);
    }

    private void OpenSsl(params string[] arguments)
    {
        var start = new ProcessStartInfo("openssl") { WorkingDirectory = Folder, RedirectStandardError = true, RedirectStandardOutput = true };
        foreach (var a in arguments)
        {
            start.ArgumentList.Add(a);
        }

        using var process = Process.Start(start) ?? throw new InvalidOperationException("openssl did not start");
        var errors = process.StandardError.ReadToEndAsync();
        process.StandardOutput.ReadToEnd();
        process.WaitForExit();
        if (process.ExitCode != 0)
        {
            throw new InvalidOperationException($"openssl {string.Join(' ', arguments)} failed: {errors.Result}");
        }
    }
}
