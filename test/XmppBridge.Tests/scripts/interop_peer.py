"""slixmpp peer for the .NET client's interop test (a client nobody on this project wrote).

usage: interop_peer.py JID PASSWORD HOST PORT CA_FILE PEER_BARE_JID [--timeout S]

Logs in over STARTTLS trusting only CA_FILE, fetches the roster, publishes presence and prints READY.
Then, with the .NET client PEER_BARE_JID:
  - approves its subscription request and subscribes back (slixmpp's auto_authorize/auto_subscribe);
  - prints "PRESENCE <status>" when the peer's available presence arrives;
  - answers receipt requests (XEP-0184 auto_ack), prints "MESSAGE <body>", replies "pong:<body>"
    with its own receipt request, and prints "RECEIPT <id>" when the peer's receipt arrives;
  - answers <echo xmlns='urn:actors:test:echo' v='x'/> IQs with v='x!' and sends one such IQ to the
    peer's full JID, printing "IQ-RESULT <v>".
Prints DONE and exits 0 once presence, receipt, IQ result and an answered IQ have all been seen (2 on timeout).
"""
import argparse
import asyncio
import sys
from pathlib import Path

import slixmpp
from slixmpp.xmlstream import ET
from slixmpp.xmlstream.handler import Callback
from slixmpp.xmlstream.matcher import MatchXPath

ECHO = "urn:actors:test:echo"


class Peer(slixmpp.ClientXMPP):
    def __init__(self, args, done):
        super().__init__(args.jid, args.password)
        self.args = args
        self.done = done
        self.seen = set()
        self.register_plugin("xep_0030")
        self.register_plugin("xep_0199")
        self.register_plugin("xep_0184")
        self.add_event_handler("session_start", self.on_start)
        # slixmpp reports a presence with <show/> under its show value ("presence_chat", …), so listen to all.
        self.add_event_handler("presence", self.on_presence)
        self.add_event_handler("message", self.on_message)
        self.add_event_handler("receipt_received", self.on_receipt)
        self.add_event_handler("failed_auth", lambda _: self.finish(3, "FAILED auth"))
        self.register_handler(Callback("echo", MatchXPath("{jabber:client}iq/{%s}echo" % ECHO), self.on_echo))

    def finish(self, code, line=None):
        if line:
            print(line, flush=True)
        if not self.done.done():
            self.done.set_result(code)

    def mark(self, what):
        self.seen.add(what)
        if {"presence", "receipt", "iq", "answered"} <= self.seen:
            self.finish(0, "DONE")

    async def on_start(self, _):
        await self.get_roster()
        self.send_presence(pstatus="slixmpp here")
        print("READY", flush=True)

    def on_presence(self, presence):
        available = presence["type"] in ("available", "chat", "away", "dnd", "xa")
        if available and presence["from"].bare == self.args.peer and "presence" not in self.seen:
            print(f"PRESENCE {presence['status']}", flush=True)
            self.mark("presence")
            asyncio.ensure_future(self.query_peer(presence["from"]))

    async def query_peer(self, full_jid):
        iq = self.Iq()
        iq["type"] = "get"
        iq["to"] = full_jid
        iq.xml.append(ET.Element("{%s}echo" % ECHO, {"v": "from-slixmpp"}))
        result = await iq.send(timeout=10)
        print(f"IQ-RESULT {result.xml.find('{%s}echo' % ECHO).get('v')}", flush=True)
        self.mark("iq")

    def on_message(self, msg):
        if msg["from"].bare == self.args.peer and msg["body"] and not msg["body"].startswith("pong:"):
            print(f"MESSAGE {msg['body']}", flush=True)
            reply = self.make_message(mto=msg["from"], mbody="pong:" + msg["body"], mtype="chat")
            reply["id"] = "slix-reply-1"
            reply["request_receipt"] = True
            reply.send()

    def on_receipt(self, msg):
        print(f"RECEIPT {msg['receipt']}", flush=True)
        self.mark("receipt")

    def on_echo(self, iq):
        if iq["type"] not in ("get", "set"):
            return
        value = iq.xml.find("{%s}echo" % ECHO).get("v")
        reply = iq.reply(clear=True)
        reply.xml.append(ET.Element("{%s}echo" % ECHO, {"v": value + "!"}))
        reply.send()
        self.mark("answered")


async def main():
    p = argparse.ArgumentParser()
    p.add_argument("jid")
    p.add_argument("password")
    p.add_argument("host")
    p.add_argument("port", type=int)
    p.add_argument("ca_file")
    p.add_argument("peer")
    p.add_argument("--timeout", type=float, default=30)
    args = p.parse_args()
    done = asyncio.get_running_loop().create_future()
    xmpp = Peer(args, done)
    xmpp.ca_certs = Path(args.ca_file)
    xmpp.connect(address=(args.host, args.port), force_starttls=True, disable_starttls=False)
    try:
        code = await asyncio.wait_for(done, args.timeout)
    except asyncio.TimeoutError:
        print(f"TIMEOUT seen={sorted(xmpp.seen)}", flush=True)
        code = 2
    xmpp.disconnect(wait=1)
    await asyncio.sleep(0.5)
    return code


if __name__ == "__main__":
    sys.exit(asyncio.run(main()))
