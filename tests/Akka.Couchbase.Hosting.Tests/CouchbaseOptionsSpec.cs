using Akka.Configuration;
using Xunit;

namespace Akka.Couchbase.Hosting.Tests;

/// <summary>
/// Options render as one HOCON section: every string quoted, durations exact, and the raw <see cref="CouchbaseOptions.Hocon"/>
/// kept inside the section whatever its last line holds; HOCON that is not whole on its own is refused, not spliced.
/// </summary>
public sealed class CouchbaseOptionsSpec
{
    private static CouchbaseSettings Settings(CouchbaseOptions options) =>
        CouchbaseSettings.Create(ConfigurationFactory.ParseString(options.ToHocon()).GetConfig("akka.couchbase"));

    [Fact]
    public void Every_string_is_quoted_the_bucket_type_too()
    {
        var hocon = new CouchbaseOptions
        {
            Servers = new[] { "a:11210" }, Bucket = "travel", BucketType = BucketType.Memcached, Username = "u", Password = "p",
        }.ToHocon();
        Assert.Contains("servers = [\"a:11210\"]", hocon);
        Assert.Contains("bucket = \"travel\"", hocon);
        Assert.Contains("bucket-type = \"memcached\"", hocon);
        Assert.Contains("username = \"u\"", hocon);
        Assert.Contains("password = \"p\"", hocon);
    }

    [Fact]
    public void A_connection_string_stands_for_its_servers_bucket_and_tls()
    {
        var settings = Settings(new CouchbaseOptions { ConnectionString = "couchbases://cb1,cb2:12000/travel?kv_timeout=1500" });
        Assert.Equal(new[] { ("cb1", 11207), ("cb2", 12000) }, settings.Servers);
        Assert.Equal("travel", settings.Bucket);
        Assert.True(settings.Tls.Enabled);
        Assert.Equal(TimeSpan.FromMilliseconds(1500), settings.OperationTimeout);
    }

    [Fact]
    public void Tls_options_become_the_tls_section_and_the_certificate_password_is_never_shown()
    {
        var folder = Directory.CreateTempSubdirectory("hosting-tls-").FullName;
        try
        {
            using var key = System.Security.Cryptography.ECDsa.Create();
            var request = new System.Security.Cryptography.X509Certificates.CertificateRequest("CN=app", key,
                System.Security.Cryptography.HashAlgorithmName.SHA256);
            using var self = request.CreateSelfSigned(DateTimeOffset.UtcNow.AddDays(-1), DateTimeOffset.UtcNow.AddDays(1));
            var ca = Path.Combine(folder, "ca.pem");
            var p12 = Path.Combine(folder, "app.p12");
            File.WriteAllText(ca, self.ExportCertificatePem());
            File.WriteAllBytes(p12, self.Export(System.Security.Cryptography.X509Certificates.X509ContentType.Pkcs12, "p\"w{d}"));

            var options = new CouchbaseOptions
            {
                Servers = new[] { "cb1" },
                EnableTls = true,
                TrustedCertificates = new[] { ca },
                ClientCertificate = p12,
                ClientCertificatePassword = "p\"w{d}",
            };
            var settings = Settings(options);
            Assert.True(settings.Tls.Enabled);
            Assert.Equal(new[] { ("cb1", 11207) }, settings.Servers);
            Assert.Equal(new[] { ca }, settings.Tls.TrustedCertificatePaths);
            Assert.Equal("CN=app", settings.Tls.ClientCertificate!.Subject);
            Assert.True(settings.UsesCertificateAuth);
            Assert.DoesNotContain("p\"w{d}", options.ToString());
            Assert.Contains("client-certificate=" + p12, options.ToString());
        }
        finally
        {
            Directory.Delete(folder, recursive: true);
        }
    }

    [Fact]
    public void Values_that_are_HOCON_syntax_stay_strings()
    {
        var settings = Settings(new CouchbaseOptions
        {
            Bucket = "b # not a comment", Username = "${akka.loglevel}", Password = "x\" } akka.loglevel = DEBUG {\\",
        });
        Assert.Equal("b # not a comment", settings.Bucket);
        Assert.Equal("${akka.loglevel}", settings.Username);
        Assert.Equal("x\" } akka.loglevel = DEBUG {\\", settings.Password);
    }

    [Theory]
    [InlineData(2500_0000L)]     // 2.5 s
    [InlineData(1_5000L)]        // 1.5 ms
    [InlineData(1L)]             // 100 ns, the smallest TimeSpan step
    public void Durations_are_kept_exactly(long ticks)
    {
        var timeout = TimeSpan.FromTicks(ticks);
        Assert.Equal(timeout, Settings(new CouchbaseOptions { OperationTimeout = timeout }).OperationTimeout);
    }

    [Fact]
    public void A_negative_duration_is_refused_naming_its_key()
    {
        var e = Assert.Throws<ArgumentException>(() => new CouchbaseOptions { OperationTimeout = TimeSpan.FromSeconds(-1) }.ToHocon());
        Assert.StartsWith("akka.couchbase.operation-timeout must not be negative", e.Message);
    }

    [Fact]
    public void Raw_HOCON_ending_in_a_comment_without_a_newline_keeps_the_properties_after_it()
    {
        var settings = Settings(new CouchbaseOptions
        {
            Hocon = "max-backlog = 123 # the last line, no newline",
            Bucket = "after-the-comment",
            OperationTimeout = TimeSpan.FromSeconds(7),
        });
        Assert.Equal(123, settings.MaxBacklog);
        Assert.Equal("after-the-comment", settings.Bucket);
        Assert.Equal(TimeSpan.FromSeconds(7), settings.OperationTimeout);
    }

    [Fact]
    public void The_properties_win_over_the_raw_HOCON()
    {
        var settings = Settings(new CouchbaseOptions { Hocon = "bucket = from-hocon\nmax-backlog = 5", Bucket = "from-property" });
        Assert.Equal("from-property", settings.Bucket);
        Assert.Equal(5, settings.MaxBacklog);
    }

    [Fact]
    public void Braces_in_strings_and_comments_of_the_raw_HOCON_are_not_counted()
    {
        var settings = Settings(new CouchbaseOptions
        {
            Hocon = "user-agent = \"agent } ] # not a comment\" # a comment with } and [\n" +
                    "http-bootstrap { port = 9000 } // and {\n" +
                    "bucket = \"\"\"b{\"\"\"",
        });
        Assert.Equal("agent } ] # not a comment", settings.UserAgent);
        Assert.Equal(9000, settings.HttpBootstrapPort);
        Assert.Equal("b{", settings.Bucket);
    }

    [Theory]
    [InlineData("max-backlog = 1 } akka.loglevel = DEBUG")]        // would close the section and set a key outside it
    [InlineData("http-bootstrap { port = 9000")]                   // would swallow the properties rendered after it
    [InlineData("servers = [\"a\"")]                              // Akka's parser would never return
    [InlineData("servers = [\"a\"] ]")]
    [InlineData("bucket = \"unterminated")]
    public void Raw_HOCON_that_is_not_whole_on_its_own_is_refused(string hocon)
    {
        var e = Assert.Throws<ArgumentException>(() => new CouchbaseOptions { Hocon = hocon, Bucket = "b" }.ToHocon());
        Assert.Contains("CouchbaseOptions.Hocon (for akka.couchbase)", e.Message);
    }

    [Fact]
    public void Observability_options_become_the_observability_section()
    {
        var settings = Settings(new CouchbaseOptions
        {
            ThresholdLogging = false, ThresholdInterval = TimeSpan.FromSeconds(30), KvThreshold = TimeSpan.FromMilliseconds(250),
            ViewsThreshold = TimeSpan.FromSeconds(2), OrphanLogging = false,
        }).Observability;

        Assert.Equal((false, TimeSpan.FromSeconds(30), TimeSpan.FromMilliseconds(250), TimeSpan.FromSeconds(2), false),
            (settings.ThresholdLogging, settings.ThresholdInterval, settings.KvThreshold, settings.ViewsThreshold, settings.OrphanLogging));
    }

    [Fact]
    public void Unset_observability_options_keep_the_defaults()
    {
        Assert.Equal(ObservabilitySettings.Default, Settings(new CouchbaseOptions()).Observability);
    }

    [Fact]
    public void A_threshold_interval_of_zero_is_refused_naming_its_key()
    {
        var e = Assert.Throws<ArgumentException>(() => new CouchbaseOptions { ThresholdInterval = TimeSpan.Zero }.ToHocon());
        Assert.StartsWith("akka.couchbase.observability.threshold-interval must be positive", e.Message);
    }

    [Theory]
    [InlineData(KvTransport.AkkaIo)]
    [InlineData(KvTransport.Socket)]
    public void The_transport_option_becomes_the_transport_key(KvTransport transport)
    {
        Assert.Equal(transport, Settings(new CouchbaseOptions { Transport = transport }).Transport);
        Assert.Equal(KvTransport.AkkaIo, Settings(new CouchbaseOptions()).Transport);
    }

    [Fact]
    public void An_undefined_transport_is_refused_naming_its_key()
    {
        var e = Assert.Throws<ArgumentException>(() => new CouchbaseOptions { Transport = (KvTransport)7 }.ToHocon());
        Assert.StartsWith("akka.couchbase.transport", e.Message);
    }
}
