"""Write to the Actors store over XMPP with slixmpp, a client nobody on this project wrote.

usage: actors_write.py JID PASSWORD HOST PORT CA_FILE SILO_JID ROOT JSON

Sends <write op="put"> with a XEP-0184 receipt request to SILO_JID, prints RECEIPT <id> and
WRITTEN <version> when the receipt arrives, then reads the root back with <iq type="get"><read/></iq>
and prints DOCUMENT <version> <json>. Exits 0 on success, 2 on timeout, 3 on an error reply.
"""
import asyncio
import sys
import uuid
from pathlib import Path
import xml.etree.ElementTree as ET

import slixmpp
from slixmpp.xmlstream.handler import Callback
from slixmpp.xmlstream.matcher import MatchXPath

ACTORS = "urn:actors:1"
RECEIPTS = "urn:xmpp:receipts"


class Writer(slixmpp.ClientXMPP):
    def __init__(self, jid, password, silo, root, body, done):
        super().__init__(jid, password)
        self.silo, self.root, self.body, self.done = silo, root, body, done
        self.message_id = uuid.uuid4().hex
        self.add_event_handler("session_start", self.on_start)
        # slixmpp's "message" event only fires for messages with a <body/>; receipts have none.
        self.register_handler(Callback("actors receipt", MatchXPath(f"{{jabber:client}}message/{{{RECEIPTS}}}received"), self.on_message))
        self.add_event_handler("message_error", self.on_message)

    async def on_start(self, _):
        print("SESSION", self.boundjid, flush=True)
        self.send_presence()
        msg = self.make_message(mto=self.silo, mtype="normal")
        msg["id"] = self.message_id
        write = ET.SubElement(msg.xml, f"{{{ACTORS}}}write", {"root": self.root, "op": "put"})
        write.text = self.body
        ET.SubElement(msg.xml, f"{{{RECEIPTS}}}request")
        msg.send()
        print("SENT", self.message_id, flush=True)

    def on_message(self, msg):
        asyncio.ensure_future(self.handle(msg))

    async def handle(self, msg):
        if msg["type"] == "error":
            print("ERROR", msg["error"]["condition"], msg["error"]["text"], flush=True)
            self.finish(3)
            return
        received = msg.xml.find(f"{{{RECEIPTS}}}received")
        written = msg.xml.find(f"{{{ACTORS}}}written")
        if received is None or received.get("id") != self.message_id:
            return
        print("RECEIPT", received.get("id"), flush=True)
        print("WRITTEN", written.get("version") if written is not None else "?", flush=True)
        iq = self.make_iq_get(ito=self.silo)
        ET.SubElement(iq.xml, f"{{{ACTORS}}}read", {"root": self.root})
        try:
            result = await iq.send(timeout=20)
        except Exception as e:  # IqError or IqTimeout
            print("READ-FAILED", e, flush=True)
            self.finish(3)
            return
        document = result.xml.find(f"{{{ACTORS}}}document")
        print("DOCUMENT", document.get("version"), document.text, flush=True)
        self.finish(0)

    def finish(self, code):
        if not self.done.done():
            self.done.set_result(code)


async def main():
    jid, password, host, port, ca_file, silo, root, body = sys.argv[1:9]
    done = asyncio.get_running_loop().create_future()
    xmpp = Writer(jid, password, silo, root, body, done)
    # slixmpp keeps verification on and, with ca_certs set, trusts only that (self-signed) certificate.
    xmpp.ca_certs = Path(ca_file)
    xmpp.connect(address=(host, int(port)), force_starttls=True, disable_starttls=False)
    try:
        code = await asyncio.wait_for(done, 30)
    except asyncio.TimeoutError:
        print("TIMEOUT", flush=True)
        code = 2
    xmpp.disconnect(wait=2)
    await asyncio.sleep(0.5)
    sys.exit(code)


asyncio.run(main())
