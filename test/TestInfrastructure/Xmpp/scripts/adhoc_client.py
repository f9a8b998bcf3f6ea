"""Drive XEP-0050 ad-hoc commands with slixmpp's own xep_0050 plugin, a client nobody on this project wrote.

usage: adhoc_client.py JID PASSWORD HOST PORT CA_FILE TARGET_JID STEP...

Steps, run in order, each printing one line (newlines in texts become " | "):
  items                 disco#items on node http://jabber.org/protocol/commands (xep_0050.get_commands)
                        -> ITEMS node=name;node=name
  info:NODE             disco#info on a command node (info: the entity itself) -> INFO identity-types features | ERROR …
  exec:NODE             start_command (the session workflow): a form -> FORM sessionid var=opt1,opt2 var2=…;
                        a one-stage command -> RESULT status note-type note
  complete:VAR=V,…      submit the form last received (its defaults, these values) with complete_command
                        -> RESULT … | ERROR condition specific-condition text
  cancel                cancel_command on the open session -> RESULT canceled …
  once:NODE:VAR=V,…     send_command with action execute and a submitted form built from scratch -> RESULT | ERROR
Errors come as ERROR condition specific text (specific is - when there is none).
Exits 0 when every step got an answer, 2 on a timeout, 3 when a step could not be read.
"""
import asyncio
import sys
import traceback
from pathlib import Path

import slixmpp
from slixmpp.exceptions import IqError, IqTimeout

COMMANDS = "http://jabber.org/protocol/commands"
STANZAS = "urn:ietf:params:xml:ns:xmpp-stanzas"


def flat(text):
    return (text or "").replace("\n", " | ")


def values_of(text):
    values = {}
    for pair in filter(None, text.split(",")):
        var, _, value = pair.partition("=")
        values[var] = value
    return values


def describe_error(iq):
    error = iq.xml.find("{jabber:client}error")
    condition, specific, text = "?", "-", ""
    if error is not None:
        for child in error:
            ns, _, local = child.tag[1:].partition("}")
            if ns == STANZAS and local == "text":
                text = child.text or ""
            elif ns == STANZAS:
                condition = local
            else:
                specific = local
    return f"ERROR {condition} {specific} {flat(text)}"


def describe_result(iq):
    command = iq["command"]
    notes = command["notes"]
    note_type, note = (notes[0][0], notes[0][1]) if notes else ("-", "")
    return f"RESULT {command['status']} {note_type} {flat(note)}"


def submit_form(xmpp, values):
    form = xmpp["xep_0004"].make_form(ftype="submit")
    for var, value in values.items():
        if value is not None:
            form.add_field(var=var, value=value)
    return form


class Driver(slixmpp.ClientXMPP):
    def __init__(self, jid, password, target, steps, done):
        super().__init__(jid, password)
        self.target, self.steps, self.done = target, steps, done
        self.register_plugin("xep_0030")
        self.register_plugin("xep_0004")
        self.register_plugin("xep_0050")
        self.add_event_handler("session_start", self.on_start)
        self.session, self.form = None, None

    async def workflow(self, send):
        """Runs one step of slixmpp's session workflow (start/complete/cancel_command) and waits for its answer."""
        answer = asyncio.get_running_loop().create_future()

        def finish(iq, session):
            if not answer.done():
                answer.set_result(iq)

        self.session = self.session or {}
        self.session["next"] = finish
        self.session["error"] = finish
        send(self.session)
        return await asyncio.wait_for(answer, 120)

    async def step(self, step):
        adhoc = self["xep_0050"]
        kind, _, rest = step.partition(":")
        if kind == "items":
            result = await adhoc.get_commands(jid=self.target, timeout=30)
            # Order as the responder sent them (slixmpp's items set does not keep it).
            query = result.xml.find("{http://jabber.org/protocol/disco#items}query")
            items = [f"{item.get('node')}={item.get('name')}" for item in query]
            return "ITEMS " + ";".join(items)
        if kind == "info":
            try:
                info = await self["xep_0030"].get_info(jid=self.target, node=rest or None, timeout=30)
            except IqError as e:
                return describe_error(e.iq)
            identities = [i[1] for i in info["disco_info"]["identities"]]
            return "INFO " + ",".join(identities) + " " + ",".join(sorted(info["disco_info"]["features"]))
        if kind == "exec":
            self.session, self.form = None, None
            iq = await self.workflow(lambda s: adhoc.start_command(self.target, rest, s))
            if iq["type"] == "error":
                return describe_error(iq)
            if iq["command"]["status"] == "executing":
                self.form = iq["command"]["form"]
                fields = []
                for var, field in self.form.get_fields().items():
                    options = [o["value"] for o in field["options"]]
                    fields.append(f"{var}={','.join(options)}")
                return f"FORM {iq['command']['sessionid']} " + " ".join(fields)
            return describe_result(iq)
        if kind == "complete":
            # A submitted form with every field of the form received: its default unless the step gives a value.
            # (Built anew with make_form: setting type='submit' on the received form raised KeyError(('options', None))
            # with slixmpp 1.8.3 once it held a text-single field.)
            values = {var: field["value"] for var, field in self.form.get_fields().items()}
            values.update(values_of(rest))
            self.session["payload"] = submit_form(self, values)
            iq = await self.workflow(adhoc.complete_command)
            return describe_error(iq) if iq["type"] == "error" else describe_result(iq)
        if kind == "cancel":
            iq = await self.workflow(adhoc.cancel_command)
            return describe_error(iq) if iq["type"] == "error" else describe_result(iq)
        if kind == "once":
            node, _, values = rest.partition(":")
            form = submit_form(self, values_of(values))
            try:
                iq = await adhoc.send_command(self.target, node, action="execute", payload=form, timeout=120)
            except IqError as e:
                return describe_error(e.iq)
            return describe_result(iq)
        raise ValueError(f"unknown step {step}")

    async def on_start(self, _):
        self.send_presence()
        try:
            for step in self.steps:
                print(await self.step(step), flush=True)
        except (asyncio.TimeoutError, IqTimeout):
            print("TIMEOUT", flush=True)
            self.finish(2)
            return
        except Exception as e:  # a bug in this script, or an answer it cannot read: fail at once, not by timeout
            print("EXCEPTION", type(e).__name__, e, flush=True)
            traceback.print_exc()
            self.finish(3)
            return
        self.finish(0)

    def finish(self, code):
        if not self.done.done():
            self.done.set_result(code)


async def main():
    jid, password, host, port, ca_file, target = sys.argv[1:7]
    done = asyncio.get_running_loop().create_future()
    xmpp = Driver(jid, password, target, sys.argv[7:], done)
    xmpp.ca_certs = Path(ca_file)
    xmpp.connect(address=(host, int(port)), force_starttls=True, disable_starttls=False)
    try:
        code = await asyncio.wait_for(done, 280)
    except asyncio.TimeoutError:
        print("TIMEOUT", flush=True)
        code = 2
    xmpp.disconnect(wait=2)
    await asyncio.sleep(0.5)
    sys.exit(code)


asyncio.run(main())
