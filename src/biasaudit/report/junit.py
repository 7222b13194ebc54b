"""junit.xml: one test case per gate, so CI systems show gates as tests."""

from __future__ import annotations

import re
import xml.etree.ElementTree as ET
from pathlib import Path

from ..audit.result import AuditResult

# Characters XML 1.0 does not allow anywhere (control characters, lone surrogates, U+FFFE/F).
_NOT_XML = re.compile("[^\x09\x0a\x0d\x20-\ud7ff\ue000-\ufffd\U00010000-\U0010ffff]")


def xml_text(text: str) -> str:
    """``text`` with every character XML 1.0 forbids replaced by U+FFFD, so that a name or
    message with a control character still gives a valid junit.xml."""
    return _NOT_XML.sub("\ufffd", str(text))


def write_junit(result: AuditResult, path: str | Path) -> Path:
    """Write a JUnit XML file; a failed gate is a failed test case with its message."""
    path = Path(path)
    failures = sum(not g.passed for g in result.gates)
    classname = xml_text(f"biasaudit.{result.name}")
    suite = ET.Element(
        "testsuite",
        name=classname,
        tests=str(len(result.gates)),
        failures=str(failures),
        errors="0",
        skipped="0",
    )
    for gate in result.gates:
        case = ET.SubElement(suite, "testcase", classname=classname, name=xml_text(gate.name))
        message = xml_text(gate.message)
        if not gate.passed:
            fail = ET.SubElement(case, "failure", message=message, type="GateFailed")
            fail.text = message + (
                "\nfailing: " + xml_text(", ".join(gate.failing)) if gate.failing else ""
            )
        out = ET.SubElement(case, "system-out")
        out.text = message
    suites = ET.Element("testsuites", tests=str(len(result.gates)), failures=str(failures))
    suites.append(suite)
    ET.indent(suites)
    ET.ElementTree(suites).write(path, encoding="utf-8", xml_declaration=True)
    return path
