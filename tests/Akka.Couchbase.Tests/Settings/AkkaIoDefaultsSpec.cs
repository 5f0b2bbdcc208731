using Akka.Actor;
using Akka.Configuration;
using Akka.Event;
using Akka.IO;
using Xunit;

namespace Akka.Couchbase.Tests.Settings;

/// <summary>
/// The extension gives Akka.IO TCP 64 KiB frames when the application leaves Akka's 4 KiB default, and never
/// overrides what the application set: its frame size and buffer sizes win, and Akka.IO still starts.
/// </summary>
public sealed class AkkaIoDefaultsSpec
{
    private static async Task<TcpSettings> TcpSettingsAfterTheExtension(string hocon)
    {
        var system = ActorSystem.Create("io-defaults", ConfigurationFactory.ParseString(hocon + "\nakka.loglevel = WARNING"));
        try
        {
            _ = CouchbaseExtension.Get(system);
            return system.WithExtension<TcpExt, Akka.IO.Tcp>().Settings;
        }
        finally
        {
            await system.Terminate();
        }
    }

    [Theory]
    // Akka's 4 KiB frames become 64 KiB, with 128 KiB buffers.
    [InlineData("", 64, 128, 128)]
    // A frame size the application set is kept.
    [InlineData("akka.io.tcp { maximum-frame-size = 16k, send-buffer-size = 32k, receive-buffer-size = 32k }", 16, 32, 32)]
    [InlineData("akka.io.tcp { maximum-frame-size = 256k, send-buffer-size = 512k, receive-buffer-size = 512k }", 256, 512, 512)]
    public async Task Akkas_4_KiB_frames_become_64_KiB_but_a_frame_size_the_application_set_is_kept(string hocon,
        int frameKiB, int sendKiB, int receiveKiB)
    {
        var settings = await TcpSettingsAfterTheExtension(hocon);
        Assert.Equal(frameKiB * 1024, settings.MaxFrameSizeBytes);
        Assert.Equal(sendKiB * 1024, settings.SendBufferSize);
        Assert.Equal(receiveKiB * 1024, settings.ReceiveBufferSize);
    }

    [Fact]
    public async Task A_buffer_size_the_application_set_caps_the_frame_so_that_Akka_IO_still_starts()
    {
        // 16 KiB send buffers with Akka's frame size: 64 KiB frames would make Akka.IO refuse to start.
        var settings = await TcpSettingsAfterTheExtension("akka.io.tcp.send-buffer-size = 16k");
        Assert.Equal(16 * 1024, settings.SendBufferSize);
        Assert.Equal(16 * 1024, settings.MaxFrameSizeBytes);
        Assert.Equal(128 * 1024, settings.ReceiveBufferSize);
    }

    [Fact]
    public async Task Akka_IO_started_before_the_extension_keeps_its_frames_and_the_client_warns()
    {
        var system = ActorSystem.Create("io-first", ConfigurationFactory.ParseString("akka.loglevel = WARNING"));
        try
        {
            using var probe = new Akka.TestKit.Xunit2.TestKit(system);
            system.EventStream.Subscribe(probe.TestActor, typeof(Warning));
            Assert.Equal(4096, system.WithExtension<TcpExt, Akka.IO.Tcp>().Settings.MaxFrameSizeBytes);

            _ = CouchbaseExtension.Get(system);

            var warning = probe.FishForMessage<Warning>(w => w.Message.ToString()!.Contains("maximum-frame-size"), TimeSpan.FromSeconds(5));
            Assert.Contains("4096 bytes", warning.Message.ToString());
            Assert.Contains("akka.couchbase.transport = socket", warning.Message.ToString());
            Assert.Equal(4096, system.WithExtension<TcpExt, Akka.IO.Tcp>().Settings.MaxFrameSizeBytes);
        }
        finally
        {
            await system.Terminate();
        }
    }
}
