using System.Security.Cryptography;
using Actors.XmppBridge.Client.Stanzas;

namespace Actors.XmppBridge.Client.AdHoc;

/// <summary>
/// The open ad-hoc command sessions of one responder, bounded: a session expires after <see cref="Lifetime"/> without
/// use, one requester (full JID) holds at most <see cref="MaxPerRequester"/>, and the store at most
/// <see cref="MaxTotal"/>, so a peer that starts sessions and never finishes them cannot grow memory.
/// </summary>
/// <remarks>
/// XEP-0050 §4.3: a session belongs to one requester/responder pair and ends with <c>completed</c> or <c>cancel</c>;
/// the responder decides its lifetime. A session is looked up by (requester, id), so another requester that learns
/// or guesses an id finds nothing. Ids are random (128 bits) and never reused.
/// </remarks>
internal sealed class AdHocSessionStore
{
    private readonly Dictionary<(Jid Requester, string Id), AdHocSession> _sessions = [];
    private readonly TimeProvider _time;

    public AdHocSessionStore(TimeSpan lifetime, int maxPerRequester, int maxTotal, TimeProvider? time = null)
    {
        ArgumentOutOfRangeException.ThrowIfLessThanOrEqual(lifetime, TimeSpan.Zero);
        ArgumentOutOfRangeException.ThrowIfLessThan(maxPerRequester, 1);
        ArgumentOutOfRangeException.ThrowIfLessThan(maxTotal, maxPerRequester);
        Lifetime = lifetime;
        MaxPerRequester = maxPerRequester;
        MaxTotal = maxTotal;
        _time = time ?? TimeProvider.System;
    }

    /// <summary>How long a session lives without being used.</summary>
    public TimeSpan Lifetime { get; }

    /// <summary>Most open sessions of one full JID.</summary>
    public int MaxPerRequester { get; }

    /// <summary>Most open sessions in all.</summary>
    public int MaxTotal { get; }

    /// <summary>Sessions open now (expired ones are dropped first).</summary>
    public int Count
    {
        get
        {
            lock (_sessions)
            {
                Purge();
                return _sessions.Count;
            }
        }
    }

    /// <summary>A new session id, unique and unguessable: the node plus 128 random bits.</summary>
    public static string NewId(string node) => node + ":" + Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(16));

    /// <summary>Opens a session; null with <paramref name="error"/> when a cap is reached.</summary>
    public AdHocSession? Open(Jid requester, string node, IReadOnlyList<FormField> fields, out string? error)
    {
        ArgumentNullException.ThrowIfNull(requester);
        lock (_sessions)
        {
            Purge();
            var mine = _sessions.Keys.Count(k => k.Requester == requester);
            if (mine >= MaxPerRequester)
            {
                error = $"You have {mine} command sessions open here, the most allowed; complete or cancel one (an unused one ends after {Minutes(Lifetime)}).";
                return null;
            }

            if (_sessions.Count >= MaxTotal)
            {
                error = $"{_sessions.Count} command sessions are open here, the most allowed; try again when some have ended (an unused one ends after {Minutes(Lifetime)}).";
                return null;
            }

            var session = new AdHocSession(NewId(node), node, requester, fields) { ExpiresAt = _time.GetUtcNow() + Lifetime };
            _sessions[(requester, session.Id)] = session;
            error = null;
            return session;
        }
    }

    /// <summary>The requester's open session of that id, its expiry pushed back; null when there is none (ended, expired, someone else's).</summary>
    public AdHocSession? Find(Jid requester, string id)
    {
        ArgumentNullException.ThrowIfNull(requester);
        lock (_sessions)
        {
            Purge();
            if (!_sessions.TryGetValue((requester, id), out var session))
            {
                return null;
            }

            session.ExpiresAt = _time.GetUtcNow() + Lifetime;
            return session;
        }
    }

    /// <summary>Ends a session; false when it was not open.</summary>
    public bool Close(AdHocSession session)
    {
        ArgumentNullException.ThrowIfNull(session);
        lock (_sessions)
        {
            return _sessions.Remove((session.Requester, session.Id));
        }
    }

    /// <summary>"5 min", "90 s": how long a session lives, for messages.</summary>
    public static string Minutes(TimeSpan span) =>
        span.TotalSeconds % 60 == 0 ? $"{(int)span.TotalMinutes} min" : $"{(int)span.TotalSeconds} s";

    private void Purge()
    {
        var now = _time.GetUtcNow();
        List<(Jid, string)>? expired = null;
        foreach (var (key, session) in _sessions)
        {
            if (session.ExpiresAt <= now)
            {
                (expired ??= []).Add(key);
            }
        }

        foreach (var key in expired ?? [])
        {
            _sessions.Remove(key);
        }
    }
}
