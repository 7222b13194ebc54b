"""Reports of an audit: JSON for machines, HTML for people, JUnit XML and Markdown for CI."""

from .html import write_html
from .json import REPORT_SCHEMA, report_dict, write_json
from .junit import write_junit
from .markdown import markdown_summary
from .writer import write_reports

__all__ = [
    "REPORT_SCHEMA",
    "markdown_summary",
    "report_dict",
    "write_html",
    "write_json",
    "write_junit",
    "write_reports",
]
