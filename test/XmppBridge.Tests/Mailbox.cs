using System.Threading.Channels;

namespace Actors.XmppBridge.Tests;

/// <summary>Collects items from event handlers; a take removes the first match and keeps everything else for later takes.</summary>
internal sealed class Mailbox<T>
{
    private readonly List<T> _items = [];
    private readonly Channel<bool> _signal = Channel.CreateUnbounded<bool>();

    public void Post(T item)
    {
        lock (_items)
        {
            _items.Add(item);
        }

        _signal.Writer.TryWrite(true);
    }

    public void Clear()
    {
        lock (_items)
        {
            _items.Clear();
        }
    }

    public async Task<T> TakeAsync(Func<T, bool> match, TimeSpan timeout, CancellationToken cancellationToken)
    {
        using var bounded = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        bounded.CancelAfter(timeout);
        try
        {
            while (true)
            {
                lock (_items)
                {
                    var index = _items.FindIndex(item => match(item));
                    if (index >= 0)
                    {
                        var item = _items[index];
                        _items.RemoveAt(index);
                        return item;
                    }
                }

                await _signal.Reader.ReadAsync(bounded.Token);
            }
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            throw new TimeoutException($"No matching {typeof(T).Name} within {timeout}.");
        }
    }
}
