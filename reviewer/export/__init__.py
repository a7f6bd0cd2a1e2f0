"""Exports of a saved review: findings register (XLSX), the reviewed DOCX with Word comments,
a printable report (HTML and PDF) and JSON. Each takes the report dict (the JSON contract) and the
reviewer's decisions {finding_key: {decision, reason, note, user, decided_at}}."""

from .docx_comments import write_commented_docx
from .json_export import write_json
from .report_html import render_html, write_html
from .report_pdf import write_pdf
from .xlsx_register import write_register

__all__ = ["write_register", "write_commented_docx", "render_html", "write_html", "write_pdf", "write_json"]
