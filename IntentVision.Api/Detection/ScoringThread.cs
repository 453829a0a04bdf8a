namespace IntentVision.Api.Detection;

/// <summary>
/// A thread of detection's own that scores a write group's series while the writer stores the group's points. A work
/// item queued to the thread pool started late: it waited behind the requests' own work (Kestrel, JSON reading, the
/// clients), and by the time it ran the writer had stored the points and was scoring most series itself, on the ingest
/// path's one serial thread. A dedicated thread competes for a core as an equal; only its wake-up is a pool work item
/// (see <see cref="Run"/>), a few instructions that keep the writer from being displaced by the thread it woke.
/// </summary>
internal sealed class ScoringThread : IDisposable
{
    /// <summary>
    /// No spinning before it sleeps (SemaphoreSlim spins first): between groups the thread has nothing to wait for soon,
    /// and a profile of the ingest benchmark showed a fifth of its CPU spent spinning there.
    /// </summary>
    private readonly ManualResetEventSlim _wake = new(initialState: false, spinCount: 0);
    private readonly CancellationTokenSource _stop = new();
    private readonly Thread _thread;
    private Action? _work;

    public ScoringThread()
    {
        _thread = new Thread(Loop) { IsBackground = true, Name = "IntentVision detection" };
        _thread.Start();
    }

    /// <summary>Runs <paramref name="work"/> on the thread; the task completes when it has (faulted if it threw).</summary>
    public Task Run(Action work)
    {
        var done = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var previous = Interlocked.Exchange(ref _work, () =>
        {
            try
            {
                work();
                done.SetResult();
            }
            catch (Exception e)
            {
                done.SetException(e);
            }
        });

        // One group at a time holds the detection stage, and it waits for its work before the next begins.
        if (previous is not null)
        {
            throw new InvalidOperationException("the detection thread is still scoring the previous group.");
        }

        // Woken from a pool thread, not from the caller's: the caller is the database writer, and a thread it wakes itself
        // tends to take its core at once (the woken thread slept, so the scheduler favours it), which left the writer,
        // the ingest path's one serial thread, waiting about 0.1 ms a group to run again (measured on sqld, 2 cores).
        // Whatever the thread has not started when the writer gets to it, the writer scores itself.
        ThreadPool.UnsafeQueueUserWorkItem(static wake => wake.Set(), _wake, preferLocal: false);
        if (_stop.IsCancellationRequested)
        {
            // Stopped (the host is shutting down): the caller's thread runs it, so no writer waits for it forever.
            RunPending();
        }

        return done.Task;
    }

    /// <summary>Stops the thread; work handed over later runs on its caller's thread. Safe to call more than once.</summary>
    public void Dispose()
    {
        _stop.Cancel();
        _thread.Join(TimeSpan.FromSeconds(5));
    }

    /// <summary>Runs the work handed over, if nobody has taken it yet (exactly once, whoever gets there first).</summary>
    private void RunPending() => Interlocked.Exchange(ref _work, null)?.Invoke();

    private void Loop()
    {
        try
        {
            while (true)
            {
                _wake.Wait(_stop.Token);

                // Reset before the work runs: the next group's work can only be handed over once this one has finished.
                _wake.Reset();
                RunPending();
            }
        }
        catch (OperationCanceledException)
        {
            // Stopped with the host; what was handed over meanwhile still runs.
            RunPending();
        }
    }
}
