using System.Diagnostics;

namespace Akka.Couchbase.Observability;

/// <summary>
/// A command's explicit trace parent, held by reference so that a command without one (almost all) carries only a
/// null reference; a record, so that commands with equal parents stay equal.
/// </summary>
internal sealed record TraceParentBox(ActivityContext Context);
