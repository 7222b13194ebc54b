"""junit.xml: one test case per gate, so CI systems show gates as tests."""

from __future__ import annotations

import xml.etree.ElementTree as ET
from pathlib import Path

from ..audit.result import AuditResult


def write_junit(result: AuditResult, path: Path) -> Path:
    """Write a JUnit XML file; a failed gate is a failed test case with its message."""
    failures = sum(not g.passed for g in result.gates)
    suite = ET.Element(
        "testsuite",
        name=f"biasaudit.{result.name}",
        tests=str(len(result.gates)),
        failures=str(failures),
        errors="0",
        skipped="0",
    )
    for gate in result.gates:
        case = ET.SubElement(
            suite, "testcase", classname=f"biasaudit.{result.name}", name=gate.name
        )
        if not gate.passed:
            fail = ET.SubElement(case, "failure", message=gate.message, type="GateFailed")
            fail.text = gate.message + (
                "\nfailing: " + ", ".join(gate.failing) if gate.failing else ""
            )
        out = ET.SubElement(case, "system-out")
        out.text = gate.message
    suites = ET.Element("testsuites", tests=str(len(result.gates)), failures=str(failures))
    suites.append(suite)
    ET.indent(suites)
    ET.ElementTree(suites).write(path, encoding="utf-8", xml_declaration=True)
    return path
