namespace Akka.Couchbase.Streams.Views;

/// <summary>
/// A response that is JSON but not a view result (a row that is no object, an id that is no string, a row count
/// that is no count...), found by <see cref="ViewResponseParser"/>; the reader turns it into a
/// <see cref="ViewQueryException"/> naming the view.
/// </summary>
internal sealed class ViewResponseFormatException(string message) : Exception(message);
