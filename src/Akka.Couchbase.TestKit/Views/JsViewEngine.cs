using System.Globalization;
using System.Text;
using Acornima.Ast;
using Jint;
using Jint.Native;
using Jint.Native.Json;
using Jint.Runtime;
using Jint.Runtime.Interop;
using Newtonsoft.Json;
using Newtonsoft.Json.Linq;

namespace Akka.Couchbase.TestKit.Views;

/// <summary>
/// One JavaScript engine per design document holding its compiled map and reduce functions. Not thread-safe:
/// callers hold <see cref="DesignDocument.Gate"/>. Each call runs under a time and statement limit, so a
/// runaway function fails that call instead of hanging the server.
/// </summary>
internal sealed class JsViewEngine
{
    /// <summary>Wall-clock limit of one map or reduce call.</summary>
    internal static readonly TimeSpan CallTimeout = TimeSpan.FromSeconds(1);

    /// <summary>Statement limit of one map or reduce call.</summary>
    internal const int MaxStatementsPerCall = 1_000_000;

    private const int MaxDepth = 256;

    private const string Prelude = """
        function sum(values) { var s = 0; for (var i = 0; i < values.length; i++) { s += values[i]; } return s; }
        function isArray(o) { return Array.isArray(o); }
        function toJSON(o) { return JSON.stringify(o); }
        function log(message) { }
        function dateToArray(date) {
          var d = (typeof date === 'string' || typeof date === 'number') ? new Date(date) : date;
          return [d.getUTCFullYear(), d.getUTCMonth() + 1, d.getUTCDate(), d.getUTCHours(), d.getUTCMinutes(), d.getUTCSeconds()];
        }
        """;

    private readonly Engine _engine;
    private readonly JsonParser _parser;
    private readonly Dictionary<string, JsValue> _maps = new(StringComparer.Ordinal);
    private readonly Dictionary<string, JsValue> _reduces = new(StringComparer.Ordinal);
    private List<(JToken Key, JToken Value)>? _sink;

    private JsViewEngine()
    {
        _engine = new Engine(options => options
            .TimeoutInterval(CallTimeout)
            .MaxStatements(MaxStatementsPerCall)
            .LimitRecursion(MaxDepth)
            .LimitMemory(256L * 1024 * 1024));
        _parser = new JsonParser(_engine);
        _engine.SetValue("emit", new ClrFunction(_engine, "emit", Emit, 2));
        _engine.SetValue("decodeBase64", new ClrFunction(_engine, "decodeBase64", DecodeBase64, 1));
        _engine.Execute(Prelude);
    }

    /// <summary>Compiles every map and JavaScript reduce; throws <see cref="DesignDocumentException"/> on the first that fails.</summary>
    public static JsViewEngine Compile(IReadOnlyDictionary<string, ViewDefinition> views)
    {
        var engine = new JsViewEngine();
        foreach (var view in views.Values)
        {
            engine._maps[view.Name] = engine.CompileFunction(view.Map, $"view '{view.Name}' map");
            if (view.Reduce != null && view.BuiltInReduce == null)
                engine._reduces[view.Name] = engine.CompileFunction(view.Reduce, $"view '{view.Name}' reduce");
        }
        return engine;
    }

    private JsValue CompileFunction(string source, string what)
    {
        Prepared<Script> prepared;
        try
        {
            prepared = Engine.PrepareScript("(" + source + "\n)");
        }
        catch (Exception ex)
        {
            throw new DesignDocumentException($"{what} is not valid JavaScript: {ex.Message}");
        }
        var body = prepared.Program!.Body;
        if (body.Count != 1 || body[0] is not ExpressionStatement { Expression: FunctionExpression or ArrowFunctionExpression })
            throw new DesignDocumentException($"{what} must be a single function expression");
        try
        {
            _engine.Constraints.Reset();
            var fn = _engine.Evaluate(prepared);
            if (!fn.IsCallable()) throw new DesignDocumentException($"{what} is not a function");
            return fn;
        }
        catch (DesignDocumentException)
        {
            throw;
        }
        catch (Exception ex)
        {
            throw new DesignDocumentException($"{what} failed to compile: {ex.Message}");
        }
    }

    /// <summary>
    /// Runs the map function of <paramref name="view"/> over one document, appending what it emits to
    /// <paramref name="into"/>. Returns null on success or the error (the document then emits nothing);
    /// <paramref name="hitLimit"/> tells whether the error was a time, statement, recursion or memory limit.
    /// </summary>
    public string? Map(string view, in ViewSourceDocument doc, List<(JToken Key, JToken Value)> into, out bool hitLimit)
    {
        var fn = _maps[view];
        var start = into.Count;
        hitLimit = false;
        _sink = into;
        try
        {
            _engine.Constraints.Reset();
            var (docValue, isJson) = DocumentValue(doc);
            var meta = new JsObject(_engine);
            meta.FastSetDataProperty("id", new JsString(doc.Id));
            meta.FastSetDataProperty("rev", new JsString(Revision(doc)));
            meta.FastSetDataProperty("type", new JsString(isJson ? "json" : "base64"));
            meta.FastSetDataProperty("flags", new JsNumber(doc.Flags));
            meta.FastSetDataProperty("expiration", new JsNumber(doc.Expiration));
            _engine.Call(fn, JsValue.Undefined, new[] { docValue, (JsValue)meta });
            return null;
        }
        catch (Exception ex)
        {
            into.RemoveRange(start, into.Count - start);
            _engine.Advanced.ResetCallStack();
            hitLimit = IsLimit(ex);
            return ex.Message;
        }
        finally
        {
            _sink = null;
        }
    }

    /// <summary>Calls the JavaScript reduce of <paramref name="view"/>: <c>reduce(keys, values, rereduce)</c>.</summary>
    public JToken Reduce(string view, IReadOnlyList<JToken>? keysAndIds, IReadOnlyList<JToken> values, bool rereduce)
    {
        var fn = _reduces[view];
        try
        {
            _engine.Constraints.Reset();
            var keys = keysAndIds == null ? JsValue.Null : ParseJson(ToJsonArray(keysAndIds));
            var vals = ParseJson(ToJsonArray(values));
            var result = _engine.Call(fn, JsValue.Undefined, new[] { keys, vals, rereduce ? JsBoolean.True : JsBoolean.False });
            return ToToken(result, 0);
        }
        catch (ViewQueryException)
        {
            throw;
        }
        catch (Exception ex)
        {
            _engine.Advanced.ResetCallStack();
            throw new ViewQueryException(500, "reduce_error", $"reduce function of view '{view}' failed: {ex.Message}");
        }
    }

    private static bool IsLimit(Exception ex) =>
        ex is TimeoutException or StatementsCountOverflowException or RecursionDepthOverflowException
            or MemoryLimitExceededException or InsufficientExecutionStackException or OperationCanceledException;

    private JsValue ParseJson(string json)
    {
        return _parser.Parse(json);
    }

    private static string ToJsonArray(IReadOnlyList<JToken> tokens)
    {
        var sb = new StringBuilder();
        sb.Append('[');
        for (var i = 0; i < tokens.Count; i++)
        {
            if (i > 0) sb.Append(',');
            sb.Append(tokens[i].ToString(Formatting.None));
        }
        sb.Append(']');
        return sb.ToString();
    }

    private (JsValue Value, bool IsJson) DocumentValue(in ViewSourceDocument doc)
    {
        if (doc.IsJson)
        {
            try
            {
                return (_parser.Parse(doc.Value.Span), true);
            }
            catch (Exception)
            {
                // claimed JSON but is not: hand it over as binary, as the server does
            }
        }
        return (new JsString(Convert.ToBase64String(doc.Value.Span)), false);
    }

    private static string Revision(in ViewSourceDocument doc) =>
        "1-" + doc.Cas.ToString("x16", CultureInfo.InvariantCulture)
             + doc.Expiration.ToString("x8", CultureInfo.InvariantCulture)
             + doc.Flags.ToString("x8", CultureInfo.InvariantCulture);

    private JsValue Emit(JsValue thisObject, JsValue[] arguments)
    {
        var sink = _sink ?? throw new InvalidOperationException("emit() called outside a map function");
        var key = arguments.Length > 0 ? ToToken(arguments[0], 0) : JValue.CreateNull();
        var value = arguments.Length > 1 ? ToToken(arguments[1], 0) : JValue.CreateNull();
        sink.Add((key, value));
        return JsValue.Undefined;
    }

    private JsValue DecodeBase64(JsValue thisObject, JsValue[] arguments)
    {
        var s = arguments.Length > 0 && arguments[0].IsString() ? arguments[0].AsString() : "";
        try
        {
            return new JsString(Encoding.UTF8.GetString(Convert.FromBase64String(s)));
        }
        catch (FormatException)
        {
            return JsValue.Null;
        }
    }

    /// <summary>Converts a JavaScript value to JSON the way <c>JSON.stringify</c> would (undefined and functions become null).</summary>
    internal JToken ToToken(JsValue value, int depth)
    {
        if (depth > MaxDepth) throw new InvalidOperationException("emitted value is nested too deeply (or cyclic)");
        if (value.IsUndefined() || value.IsNull() || value.IsCallable()) return JValue.CreateNull();
        if (value.IsBoolean()) return new JValue(value.AsBoolean());
        if (value.IsNumber()) return Number(value.AsNumber());
        if (value.IsString()) return new JValue(value.AsString());
        if (value.IsBigInt()) return new JValue(value.ToString());
        if (value.IsArray())
        {
            var array = value.AsArray();
            var length = array.Length;
            var result = new JArray();
            for (uint i = 0; i < length; i++) result.Add(ToToken(array.Get(i), depth + 1));
            return result;
        }
        if (value.IsObject())
        {
            var obj = value.AsObject();
            var toJson = obj.Get("toJSON");
            if (toJson.IsCallable())
            {
                var replaced = _engine.Call(toJson, obj, Array.Empty<JsValue>());
                if (!replaced.IsObject() || replaced.IsArray()) return ToToken(replaced, depth + 1);
                obj = replaced.AsObject();
            }
            var result = new JObject();
            foreach (var (key, descriptor) in obj.GetOwnProperties())
            {
                if (!key.IsString() || !descriptor.Enumerable) continue;
                var v = obj.Get(key);
                if (v.IsUndefined() || v.IsCallable()) continue;
                result[key.AsString()] = ToToken(v, depth + 1);
            }
            return result;
        }
        return JValue.CreateNull();
    }

    /// <summary>A JSON number: integral values within ±2^53 as integers, others as doubles; NaN and infinities as null.</summary>
    internal static JToken Number(double d)
    {
        if (double.IsNaN(d) || double.IsInfinity(d)) return JValue.CreateNull();
        if (Math.Abs(d) <= 9007199254740992d && Math.Floor(d) == d) return new JValue((long)d);
        return new JValue(d);
    }
}
