"""Send or receive one XMPP chat message with slixmpp; used by the fixture self-tests.

usage: xmpp_message.py receive|send JID PASSWORD HOST PORT --tls CA_FILE|--plain [--to JID --body TEXT] [--timeout S]

receive: logs in, prints READY once the session has started, prints RECEIVED <body> for the
first chat message with a body, exits 0 (exit 2 on timeout, 3 on failed auth/connection).
send: logs in, sends --body to --to, exits 0 after a clean disconnect.
"""
import argparse
import asyncio
import sys
from pathlib import Path

import slixmpp


def parse():
    p = argparse.ArgumentParser()
    p.add_argument("mode", choices=["send", "receive"])
    p.add_argument("jid")
    p.add_argument("password")
    p.add_argument("host")
    p.add_argument("port", type=int)
    mode = p.add_mutually_exclusive_group(required=True)
    mode.add_argument("--tls", metavar="CA_FILE", help="STARTTLS, trusting only this PEM certificate")
    mode.add_argument("--plain", action="store_true", help="no TLS at all (loopback)")
    p.add_argument("--to")
    p.add_argument("--body")
    p.add_argument("--timeout", type=float, default=20)
    return p.parse_args()


class Client(slixmpp.ClientXMPP):
    def __init__(self, args, done):
        super().__init__(args.jid, args.password)
        self.args = args
        self.done = done
        self.add_event_handler("session_start", self.on_start)
        self.add_event_handler("message", self.on_message)
        self.add_event_handler("failed_auth", lambda _: self.finish(3, "FAILED auth"))
        self.add_event_handler("connection_failed", lambda e: self.finish(3, f"FAILED connection {e}"))
        self.add_event_handler("ssl_invalid_chain", lambda e: self.finish(3, f"FAILED certificate {e}"))

    def finish(self, code, line=None):
        if line:
            print(line, flush=True)
        if not self.done.done():
            self.done.set_result(code)

    async def on_start(self, _):
        self.send_presence()
        await self.get_roster()
        if self.args.mode == "receive":
            print("READY", flush=True)
        else:
            self.send_message(mto=self.args.to, mbody=self.args.body, mtype="chat")
            print("SENT", flush=True)
            self.finish(0)

    def on_message(self, msg):
        if self.args.mode == "receive" and msg["type"] in ("chat", "normal") and msg["body"]:
            print(f"RECEIVED {msg['body']}", flush=True)
            self.finish(0)


async def main():
    args = parse()
    done = asyncio.get_running_loop().create_future()
    xmpp = Client(args, done)
    if args.tls:
        # slixmpp 1.8.3 keeps verification on (CERT_REQUIRED, hostname checked) and, with
        # ca_certs set, trusts only that file. ca_certs=None does NOT disable verification:
        # it falls back to the system store, which rejects a self-signed certificate.
        xmpp.ca_certs = Path(args.tls)
        xmpp.connect(address=(args.host, args.port), force_starttls=True, disable_starttls=False)
    else:
        xmpp.connect(address=(args.host, args.port), force_starttls=False, disable_starttls=True)
    try:
        code = await asyncio.wait_for(done, args.timeout)
    except asyncio.TimeoutError:
        print("TIMEOUT", flush=True)
        code = 2
    xmpp.disconnect(wait=2 if args.mode == "send" else 0)
    await asyncio.sleep(0.5)
    return code


if __name__ == "__main__":
    sys.exit(asyncio.run(main()))
