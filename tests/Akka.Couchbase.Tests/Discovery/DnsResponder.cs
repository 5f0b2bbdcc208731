using System.Buffers.Binary;
using System.Net;
using System.Net.Sockets;
using System.Text;
using System.Threading.Channels;

namespace Akka.Couchbase.Tests.Discovery;

/// <summary>One SRV record the responder answers with.</summary>
public sealed record SrvAnswer(int Priority, int Weight, int Port, string Target);

/// <summary>A question the responder was asked.</summary>
public sealed record AskedQuestion(string Name, int Type)
{
    public const int Srv = 33;
}

/// <summary>
/// A small authoritative DNS server on loopback UDP, for tests: it answers SRV questions for the names it is given
/// (NXDOMAIN for any other name, NOERROR with no answer for other types) and records every question it gets, in
/// order, as events a test can await. It can also hold its answers until released, or never answer at all.
/// Answers are kept under 512 bytes, so they are never truncated and the client has no reason to ask over TCP.
/// Targets must be names the system resolves (localhost): the client connects to them through the system's resolver.
/// </summary>
public sealed class DnsResponder : IAsyncDisposable
{
    private readonly UdpClient _udp;
    private readonly CancellationTokenSource _stop = new();
    private readonly Task _loop;
    private readonly Dictionary<string, Func<int, SrvAnswer[]>> _records = new(StringComparer.OrdinalIgnoreCase);
    private readonly Dictionary<string, int> _asked = new(StringComparer.OrdinalIgnoreCase);
    private readonly Channel<AskedQuestion> _questions = Channel.CreateUnbounded<AskedQuestion>();
    private readonly List<AskedQuestion> _log = new();
    private TaskCompletionSource _gate = Open();

    private DnsResponder()
    {
        _udp = new UdpClient(new IPEndPoint(IPAddress.Loopback, 0));
        _loop = Task.Run(ServeAsync);
    }

    /// <summary>Starts a responder on an ephemeral loopback port.</summary>
    public static DnsResponder Start() => new();

    /// <summary>Its address, as <c>akka.couchbase.dns-srv.name-server</c> takes it.</summary>
    public string NameServer => $"127.0.0.1:{((IPEndPoint)_udp.Client.LocalEndPoint!).Port}";

    /// <summary>When set, questions are recorded and never answered (a name server that does not answer).</summary>
    public bool Silent { get; set; }

    /// <summary>Every question so far, in order.</summary>
    public IReadOnlyList<AskedQuestion> Questions
    {
        get { lock (_log) return _log.ToList(); }
    }

    /// <summary>Answers <paramref name="name"/> with these records (replacing any before).</summary>
    public void Srv(string name, params SrvAnswer[] records) => Srv(name, _ => records);

    /// <summary>Answers the n-th question (from 1) for <paramref name="name"/> with the records <paramref name="byQuestion"/> gives.</summary>
    public void Srv(string name, Func<int, SrvAnswer[]> byQuestion)
    {
        lock (_records) _records[name.TrimEnd('.')] = byQuestion;
    }

    /// <summary>From now on answers wait until <see cref="ReleaseAnswers"/>.</summary>
    public void HoldAnswers()
    {
        lock (_records) _gate = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
    }

    /// <summary>Sends the answers held since <see cref="HoldAnswers"/>, and answers at once again.</summary>
    public void ReleaseAnswers()
    {
        lock (_records) _gate.TrySetResult();
    }

    /// <summary>The next question not yet taken by this method (each question is taken once).</summary>
    public async Task<AskedQuestion> NextQuestionAsync(TimeSpan within)
    {
        using var timeout = new CancellationTokenSource(within);
        try
        {
            return await _questions.Reader.ReadAsync(timeout.Token);
        }
        catch (OperationCanceledException)
        {
            throw new TimeoutException($"the DNS responder got no question within {within.TotalMilliseconds:F0}ms " +
                                       $"(it got {Questions.Count} in all)");
        }
    }

    private async Task ServeAsync()
    {
        while (!_stop.IsCancellationRequested)
        {
            UdpReceiveResult datagram;
            try
            {
                datagram = await _udp.ReceiveAsync(_stop.Token);
            }
            catch (Exception) when (_stop.IsCancellationRequested)
            {
                return;
            }
            catch (SocketException)
            {
                continue; // an ICMP error about an earlier answer's client
            }
            if (!TryReadQuestion(datagram.Buffer, out var question, out var questionEnd)) continue;
            int asked;
            Task gate;
            Func<int, SrvAnswer[]>? records;
            lock (_records)
            {
                asked = _asked[question.Name] = _asked.GetValueOrDefault(question.Name) + 1;
                gate = _gate.Task;
                _records.TryGetValue(question.Name, out records);
            }
            lock (_log) _log.Add(question);
            _questions.Writer.TryWrite(question);
            if (Silent) continue;
            var answer = Answer(datagram.Buffer, questionEnd, question, records is null ? null : records(asked));
            _ = SendAfterAsync(gate, answer, datagram.RemoteEndPoint);
        }
    }

    private async Task SendAfterAsync(Task gate, byte[] answer, IPEndPoint to)
    {
        await gate;
        try
        {
            await _udp.SendAsync(answer, to, _stop.Token);
        }
        catch (Exception) when (_stop.IsCancellationRequested)
        {
        }
    }

    /// <summary>The first question of a query (names in queries are not compressed).</summary>
    private static bool TryReadQuestion(byte[] query, out AskedQuestion question, out int end)
    {
        question = new AskedQuestion("", 0);
        end = 0;
        if (query.Length < 12 || BinaryPrimitives.ReadUInt16BigEndian(query.AsSpan(4)) < 1) return false;
        var name = new StringBuilder();
        var at = 12;
        while (at < query.Length && query[at] != 0)
        {
            int length = query[at];
            if ((length & 0xC0) != 0 || at + 1 + length > query.Length) return false;
            if (name.Length > 0) name.Append('.');
            name.Append(Encoding.ASCII.GetString(query, at + 1, length));
            at += 1 + length;
        }
        if (at + 5 > query.Length) return false;
        end = at + 5; // the root label, type, class
        question = new AskedQuestion(name.ToString(), BinaryPrimitives.ReadUInt16BigEndian(query.AsSpan(at + 1)));
        return true;
    }

    /// <summary>The response: NXDOMAIN for an unknown name, else the SRV records (none for other types).</summary>
    private static byte[] Answer(byte[] query, int questionEnd, AskedQuestion question, SrvAnswer[]? records)
    {
        var answers = question.Type == AskedQuestion.Srv && records is not null ? records : Array.Empty<SrvAnswer>();
        var response = new List<byte>(512);
        var flags = (ushort)(0x8000 | (BinaryPrimitives.ReadUInt16BigEndian(query.AsSpan(2)) & 0x7900) | 0x0400 | 0x0080 |
                             (records is null ? 3 : 0)); // QR, the query's opcode and RD, AA, RA; rcode NXDOMAIN or NOERROR
        AddUInt16(response, BinaryPrimitives.ReadUInt16BigEndian(query)); // the query's id
        AddUInt16(response, flags);
        AddUInt16(response, 1);
        AddUInt16(response, (ushort)answers.Length);
        AddUInt16(response, 0);
        AddUInt16(response, 0);
        response.AddRange(query.AsSpan(12, questionEnd - 12).ToArray());
        foreach (var record in answers)
        {
            AddUInt16(response, 0xC00C); // the question's name
            AddUInt16(response, AskedQuestion.Srv);
            AddUInt16(response, 1); // IN
            AddUInt16(response, 0); // TTL 60 s
            AddUInt16(response, 60);
            var target = Labels(record.Target);
            AddUInt16(response, (ushort)(6 + target.Length));
            AddUInt16(response, (ushort)record.Priority);
            AddUInt16(response, (ushort)record.Weight);
            AddUInt16(response, (ushort)record.Port);
            response.AddRange(target);
        }
        if (response.Count > 512) throw new InvalidOperationException("a test's SRV answer must fit in 512 bytes (no truncation)");
        return response.ToArray();
    }

    private static byte[] Labels(string name)
    {
        var bytes = new List<byte>();
        foreach (var label in name.TrimEnd('.').Split('.', StringSplitOptions.RemoveEmptyEntries))
        {
            bytes.Add((byte)label.Length);
            bytes.AddRange(Encoding.ASCII.GetBytes(label));
        }
        bytes.Add(0);
        return bytes.ToArray();
    }

    private static void AddUInt16(List<byte> to, int value)
    {
        to.Add((byte)(value >> 8));
        to.Add((byte)value);
    }

    private static TaskCompletionSource Open()
    {
        var open = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        open.SetResult();
        return open;
    }

    public async ValueTask DisposeAsync()
    {
        _stop.Cancel();
        ReleaseAnswers();
        _udp.Dispose();
        try
        {
            await _loop;
        }
        catch (OperationCanceledException)
        {
        }
        _stop.Dispose();
    }
}
