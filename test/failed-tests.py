"""Prints why each failed test of the given TRX files failed: its message, the top of its stack trace and the end
of its output, a few lines each. `./actors test` calls it after the list of failed test names, because CI shows only
the tail of the run and a flaky test must be diagnosable from that tail alone."""
import sys
import xml.etree.ElementTree as ET

NS = "{http://microsoft.com/schemas/VisualStudio/TeamTest/2010}"
WIDTH = 400  # a long assertion message is one line; keep each readable


def lines(text, head, tail, skip=()):
    """The first `head` and the last `tail` lines, saying how many lie between."""
    text = [line[:WIDTH] + ("…" if len(line) > WIDTH else "")
            for line in (text or "").strip().splitlines() if not any(s in line for s in skip)]
    if len(text) <= head + tail:
        return text
    return text[:head] + [f"    … {len(text) - head - tail} more line(s)"] + (text[-tail:] if tail else [])


for path in sys.argv[1:]:
    for result in ET.parse(path).getroot().iter(NS + "UnitTestResult"):
        if result.get("outcome") != "Failed":
            continue
        output = result.find(NS + "Output")
        find = lambda name: output.findtext(".//" + NS + name) if output is not None else None
        print(f"\n--- {result.get('testName')} ({result.get('duration')}) ---")
        # A message that quotes a process's output ("Expected silo.ExitCode to be 0 because <output>, but found 134")
        # ends with the value found and, above it, how the process ended: keep its end as well as its start.
        # The assertion library's and the test framework's own frames say nothing about where the test failed.
        for label, text, head, tail, skip in (("message", find("Message"), 6, 30, ()),
                                               ("stack", find("StackTrace"), 4, 0, ("FluentAssertions.", "Xunit.")),
                                               ("output (end)", find("StdOut"), 0, 30, ())):
            if text and text.strip():
                print(f"  {label}:")
                for line in lines(text, head, tail, skip):
                    print("    " + line)
