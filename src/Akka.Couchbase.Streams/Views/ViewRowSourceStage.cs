using Akka.Streams;
using Akka.Streams.Stage;

namespace Akka.Couchbase.Streams.Views;

/// <summary>
/// The view row source: opens the query when materialized and reads the next row only when downstream pulls (one
/// read in flight at a time), so the consumer's pace reaches the server through TCP. Its materialized value
/// completes with the response's metadata when the stream ends (also when downstream cancels early), or fails
/// with the stream's failure. Stopping early (downstream cancelled, the stream failed or was shut down) closes the
/// response's connection at once, so the server stops producing rows.
/// </summary>
internal sealed class ViewRowSourceStage : GraphStageWithMaterializedValue<SourceShape<ViewRow>, Task<ViewMetadata>>
{
    private readonly Func<CancellationToken, Task<ViewRowReader>> _open;

    public ViewRowSourceStage(Func<CancellationToken, Task<ViewRowReader>> open)
    {
        _open = open;
        Shape = new SourceShape<ViewRow>(Out);
    }

    public Outlet<ViewRow> Out { get; } = new("ViewRows.out");

    public override SourceShape<ViewRow> Shape { get; }

    protected override Attributes InitialAttributes { get; } = Attributes.CreateName("couchbaseViewRows");

    public override ILogicAndMaterializedValue<Task<ViewMetadata>> CreateLogicAndMaterializedValue(Attributes inheritedAttributes)
    {
        var metadata = new TaskCompletionSource<ViewMetadata>(TaskCreationOptions.RunContinuationsAsynchronously);
        return new LogicAndMaterializedValue<Task<ViewMetadata>>(new Logic(this, metadata), metadata.Task);
    }

    private sealed class Logic : OutGraphStageLogic
    {
        private readonly ViewRowSourceStage _stage;
        private readonly TaskCompletionSource<ViewMetadata> _metadata;
        private readonly CancellationTokenSource _cancel = new();
        private Action<Task<ViewRowReader>>? _onOpened;
        private Action<Task<ViewRow?>>? _onRow;
        private ViewRowReader? _reader;
        private Task<ViewRowReader>? _opening;
        private Task<ViewRow?>? _pending;
        private bool _reading;

        public Logic(ViewRowSourceStage stage, TaskCompletionSource<ViewMetadata> metadata) : base(stage.Shape)
        {
            _stage = stage;
            _metadata = metadata;
            SetHandler(stage.Out, this);
        }

        public override void PreStart()
        {
            _onOpened = GetAsyncCallback<Task<ViewRowReader>>(OnOpened);
            _onRow = GetAsyncCallback<Task<ViewRow?>>(OnRow);
            _reading = true;
            Task<ViewRowReader> opening;
            try
            {
                opening = _stage._open(_cancel.Token);
            }
            catch (Exception e)
            {
                opening = Task.FromException<ViewRowReader>(e);
            }
            _opening = opening;
            opening.ContinueWith(_onOpened, TaskContinuationOptions.ExecuteSynchronously);
        }

        public override void OnPull()
        {
            if (_reader is not null && !_reading) Read();
        }

        public override void OnDownstreamFinish(Exception cause)
        {
            _metadata.TrySetResult(_reader?.Metadata ?? new ViewMetadata(null, 0, Array.Empty<ViewError>(), null));
            base.OnDownstreamFinish(cause);
        }

        public override void PostStop()
        {
            // Cancelling aborts a read under way, which closes the connection; a reader between reads is disposed
            // at once (the handler closes the connection rather than drain the rest), one mid-read once it is out.
            _cancel.Cancel();
            if (_reader is not null)
            {
                if (_pending is { IsCompleted: false } pending)
                {
                    var reader = _reader;
                    // Not inline: the read may fail inside the cancellation above, whose callbacks are still running.
                    pending.ContinueWith(_ => reader.Dispose(), CancellationToken.None,
                        TaskContinuationOptions.RunContinuationsAsynchronously, TaskScheduler.Default);
                }
                else
                {
                    _reader.Dispose();
                }
            }
            // Stopped while the request was under way: a response that still arrives is closed, not leaked.
            else _opening?.ContinueWith(static t => { if (t.IsCompletedSuccessfully) t.Result.Dispose(); },
                TaskContinuationOptions.ExecuteSynchronously);
            _metadata.TrySetException(new AbruptStageTerminationException(this));
        }

        private void OnOpened(Task<ViewRowReader> opened)
        {
            _reading = false;
            if (!opened.IsCompletedSuccessfully)
            {
                Fail(Unwrap(opened));
                return;
            }
            _reader = opened.Result;
            if (IsAvailable(_stage.Out)) Read();
        }

        /// <summary>
        /// Asks the reader for the next row. A row already in the parser's buffer is pushed at once, in this call:
        /// only a read that waits for the network goes through the async callback.
        /// </summary>
        private void Read()
        {
            _reading = true;
            ValueTask<ViewRow?> next;
            try
            {
                next = _reader!.NextAsync(_cancel.Token);
            }
            catch (Exception e)
            {
                next = ValueTask.FromException<ViewRow?>(e);
            }
            if (next.IsCompletedSuccessfully)
            {
                _reading = false;
                Deliver(next.Result);
                return;
            }
            var pending = next.AsTask();
            _pending = pending;
            pending.ContinueWith(_onRow!, TaskContinuationOptions.ExecuteSynchronously);
        }

        private void OnRow(Task<ViewRow?> read)
        {
            _reading = false;
            if (!read.IsCompletedSuccessfully)
            {
                Fail(Unwrap(read));
                return;
            }
            Deliver(read.Result);
        }

        private void Deliver(ViewRow? row)
        {
            if (row is not null)
            {
                Observability.ViewTelemetry.RowsStreamed();
                Push(_stage.Out, row);
                return;
            }
            _metadata.TrySetResult(_reader!.Metadata);
            CompleteStage();
        }

        private void Fail(Exception e)
        {
            _metadata.TrySetException(e);
            FailStage(e);
        }

        private static Exception Unwrap(Task task) =>
            task.Exception?.InnerException ?? (Exception)new TaskCanceledException(task);
    }
}
