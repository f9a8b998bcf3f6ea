"""Query the Actors store over XMPP with slixmpp, a client nobody on this project wrote.

usage: actors_find.py JID PASSWORD HOST PORT CA_FILE SILO_JID TYPE PAGE_SIZE

Sends the chat command "find TYPE limit PAGE_SIZE" and prints CHAT <reply> (newlines as " | "), then pages through
<iq type="get"><query xmlns="urn:actors:1" type="TYPE"/></iq> with XEP-0059 <set><max>PAGE_SIZE</max><after/></set>,
printing PAGE <ids…> per page and DONE <pages> <items> when a page has no <last/>.
Exits 0 on success, 2 on timeout, 3 on an error reply.
"""
import asyncio
import sys
from pathlib import Path
import xml.etree.ElementTree as ET

import slixmpp

ACTORS = "urn:actors:1"
RSM = "http://jabber.org/protocol/rsm"


class Finder(slixmpp.ClientXMPP):
    def __init__(self, jid, password, silo, root_type, page_size, done):
        super().__init__(jid, password)
        self.silo, self.root_type, self.page_size, self.done = silo, root_type, page_size, done
        self.add_event_handler("session_start", self.on_start)
        self.add_event_handler("message", self.on_chat)
        self.chat_reply = asyncio.get_event_loop().create_future()

    async def on_start(self, _):
        self.send_presence()
        self.send_message(mto=self.silo, mbody=f"find {self.root_type} limit {self.page_size}", mtype="chat")
        reply = await self.chat_reply
        print("CHAT", reply.replace("\n", " | "), flush=True)
        after, pages, items = None, 0, 0
        while True:
            iq = self.make_iq_get(ito=self.silo)
            query = ET.SubElement(iq.xml, f"{{{ACTORS}}}query", {"type": self.root_type})
            rsm = ET.SubElement(query, f"{{{RSM}}}set")
            ET.SubElement(rsm, f"{{{RSM}}}max").text = str(self.page_size)
            if after is not None:
                ET.SubElement(rsm, f"{{{RSM}}}after").text = after
            try:
                result = await iq.send(timeout=20)
            except Exception as e:  # IqError or IqTimeout
                print("QUERY-FAILED", e, flush=True)
                self.finish(3)
                return
            answer = result.xml.find(f"{{{ACTORS}}}query")
            ids = [root.get("id") for root in answer.findall(f"{{{ACTORS}}}root")]
            pages, items = pages + 1, items + len(ids)
            print("PAGE", " ".join(ids), flush=True)
            last = answer.find(f"{{{RSM}}}set/{{{RSM}}}last")
            if last is None:
                print("DONE", pages, items, flush=True)
                self.finish(0)
                return
            after = last.text

    def on_chat(self, msg):
        if msg["type"] in ("chat", "normal") and not self.chat_reply.done():
            self.chat_reply.set_result(msg["body"])

    def finish(self, code):
        if not self.done.done():
            self.done.set_result(code)


async def main():
    jid, password, host, port, ca_file, silo, root_type, page_size = sys.argv[1:9]
    done = asyncio.get_running_loop().create_future()
    xmpp = Finder(jid, password, silo, root_type, int(page_size), done)
    xmpp.ca_certs = Path(ca_file)
    xmpp.connect(address=(host, int(port)), force_starttls=True, disable_starttls=False)
    try:
        code = await asyncio.wait_for(done, 45)
    except asyncio.TimeoutError:
        print("TIMEOUT", flush=True)
        code = 2
    xmpp.disconnect(wait=2)
    await asyncio.sleep(0.5)
    sys.exit(code)


asyncio.run(main())
