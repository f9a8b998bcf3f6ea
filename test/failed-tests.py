"""Prints why each failed test of the given TRX files failed: its message, the top of its stack trace and the end
of its output, a few lines each. `./actors test` calls it after the list of failed test names, because CI shows only
the tail of the run and a flaky test must be diagnosable from that tail alone."""
import sys
import xml.etree.ElementTree as ET

NS = "{http://microsoft.com/schemas/VisualStudio/TeamTest/2010}"
WIDTH = 400  # a long assertion message is one line; keep each readable


def lines(text, keep, tail=False, skip=()):
    text = [line[:WIDTH] + ("…" if len(line) > WIDTH else "")
            for line in (text or "").strip().splitlines() if not any(s in line for s in skip)]
    cut = text[-keep:] if tail else text[:keep]
    skipped = len(text) - len(cut)
    note = [f"    … {skipped} more line(s)"] if skipped > 0 else []
    return (note + cut) if tail else (cut + note)


for path in sys.argv[1:]:
    for result in ET.parse(path).getroot().iter(NS + "UnitTestResult"):
        if result.get("outcome") != "Failed":
            continue
        output = result.find(NS + "Output")
        find = lambda name: output.findtext(".//" + NS + name) if output is not None else None
        print(f"\n--- {result.get('testName')} ({result.get('duration')}) ---")
        # The assertion library's and the test framework's own frames say nothing about where the test failed.
        for label, text, keep, tail, skip in (("message", find("Message"), 15, False, ()),
                                               ("stack", find("StackTrace"), 4, False, ("FluentAssertions.", "Xunit.")),
                                               ("output (end)", find("StdOut"), 30, True, ())):
            if text and text.strip():
                print(f"  {label}:")
                for line in lines(text, keep, tail, skip):
                    print("    " + line)
