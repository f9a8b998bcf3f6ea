using System.Runtime.CompilerServices;

namespace Actors.Contracts;

/// <summary>Queries and indexes from any <see cref="IGrainFactory"/> (an <c>AddActorsClient()</c> client, or a grain).</summary>
public static class RootQueryGrainFactoryExtensions
{
    /// <summary>The index <paramref name="name"/> of <paramref name="type"/>.</summary>
    public static IIndexGrain GetIndex(this IGrainFactory factory, string type, string name)
    {
        ArgumentNullException.ThrowIfNull(factory);
        return factory.GetGrain<IIndexGrain>($"{type}/{name}");
    }

    /// <summary>One page of <paramref name="query"/>.</summary>
    public static Task<QueryPage> QueryPageAsync(this IGrainFactory factory, RootQuery query)
    {
        ArgumentNullException.ThrowIfNull(factory);
        ArgumentNullException.ThrowIfNull(query);
        return factory.GetGrain<IRootQueryGrain>(0).QueryAsync(query);
    }

    /// <summary>
    /// Every page of <paramref name="query"/>, from its <see cref="RootQuery.After"/> on, until no <see cref="QueryPage.Next"/>
    /// remains; a refused query throws <see cref="ActorsException"/>.
    /// </summary>
    public static async IAsyncEnumerable<QueryPage> QueryPagesAsync(this IGrainFactory factory, RootQuery query, [EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(query);
        var current = query;
        while (true)
        {
            cancellationToken.ThrowIfCancellationRequested();
            var page = (await factory.QueryPageAsync(current).ConfigureAwait(false)).EnsureSuccess();
            yield return page;
            if (page.Next is null)
            {
                yield break;
            }
            current = current.ContinueAfter(page.Next);
        }
    }

    /// <summary>Every item of <paramref name="query"/>, page after page.</summary>
    public static async IAsyncEnumerable<QueryItem> QueryAsync(this IGrainFactory factory, RootQuery query, [EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        await foreach (var page in factory.QueryPagesAsync(query, cancellationToken).ConfigureAwait(false))
        {
            foreach (var item in page.Items)
            {
                yield return item;
            }
        }
    }
}
