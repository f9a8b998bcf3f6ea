"""slixmpp side of the XMPP round-trip benchmark (test/XmppBenchmarks), so our client is compared with a
client nobody on this project wrote, through the same server in the same run.

usage:
  slix_bench.py echo JID PASSWORD HOST PORT
      Logs in (plaintext loopback), publishes presence, prints READY, then sends every message it
      receives back to its sender with the same id and body, until killed.
  slix_bench.py ping JID PASSWORD HOST PORT PEER_FULL_JID WINDOW WARMUP_S MEASURE_S
      Logs in, keeps WINDOW messages outstanding to PEER_FULL_JID (each answered by the echo peer),
      and after WARMUP_S seconds counts the round trips completed in the next MEASURE_S seconds.
      Prints one line "RESULT <round_trips> <seconds> <p50_ms> <p99_ms>" and exits 0 (2 on timeout).

Stream management (XEP-0198) is not loaded: slixmpp would request an ack every few stanzas, which
would only slow it down; our client keeps it on, so the comparison does not favour ours.
"""
import asyncio
import sys
import time

import slixmpp


class Echo(slixmpp.ClientXMPP):
    def __init__(self, jid, password):
        super().__init__(jid, password)
        self.add_event_handler("session_start", self.on_start)
        self.add_event_handler("message", self.on_message)

    async def on_start(self, _):
        self.send_presence()
        print("READY", flush=True)

    def on_message(self, msg):
        reply = self.make_message(mto=msg["from"], mbody=msg["body"], mtype="chat")
        reply["id"] = msg["id"]
        reply.send()


class Ping(slixmpp.ClientXMPP):
    def __init__(self, jid, password, peer, window, warmup, measure, done):
        super().__init__(jid, password)
        self.peer = peer
        self.window = window
        self.warmup = warmup
        self.measure = measure
        self.done = done
        self.sent = {}
        self.next_id = 0
        self.latencies = []
        self.window_start = None
        self.window_end = None
        self.add_event_handler("session_start", self.on_start)
        self.add_event_handler("message", self.on_message)

    async def on_start(self, _):
        self.send_presence()
        now = time.perf_counter()
        self.window_start = now + self.warmup
        self.window_end = self.window_start + self.measure
        for _ in range(self.window):
            self.send_one()

    def send_one(self):
        self.next_id += 1
        mid = str(self.next_id)
        msg = self.make_message(mto=self.peer, mbody="x", mtype="chat")
        msg["id"] = mid
        self.sent[mid] = time.perf_counter()
        msg.send()

    def on_message(self, msg):
        started = self.sent.pop(msg["id"], None)
        if started is None:
            return
        now = time.perf_counter()
        if now >= self.window_end:
            self.finish()
            return
        if now >= self.window_start:
            self.latencies.append(now - started)
        self.send_one()

    def finish(self):
        if self.done.done():
            return
        lat = sorted(self.latencies)
        p50 = lat[len(lat) // 2] * 1000 if lat else 0.0
        p99 = lat[min(len(lat) - 1, int(len(lat) * 0.99))] * 1000 if lat else 0.0
        print(f"RESULT {len(lat)} {self.measure} {p50:.3f} {p99:.3f}", flush=True)
        self.done.set_result(0)


def main():
    mode, jid, password, host, port = sys.argv[1:6]
    loop = asyncio.get_event_loop()
    if mode == "echo":
        client = Echo(jid, password)
        client.connect((host, int(port)), force_starttls=False, disable_starttls=True)
        loop.run_forever()
        return 0
    peer, window, warmup, measure = sys.argv[6], int(sys.argv[7]), float(sys.argv[8]), float(sys.argv[9])
    done = loop.create_future()
    client = Ping(jid, password, peer, window, warmup, measure, done)
    client.connect((host, int(port)), force_starttls=False, disable_starttls=True)
    try:
        code = loop.run_until_complete(asyncio.wait_for(done, warmup + measure + 60))
    except asyncio.TimeoutError:
        print("TIMEOUT", flush=True)
        code = 2
    return code


if __name__ == "__main__":
    sys.exit(main())
