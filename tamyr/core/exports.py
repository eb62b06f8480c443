"""Spreadsheet-safe CSV exports."""

import csv
from collections.abc import Iterable, Iterator, Sequence
from typing import Any

from django.http import FileResponse, StreamingHttpResponse

# A cell starting with one of these is run as a formula by Excel and LibreOffice.
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r", "\n", "|", "%")


def spreadsheet_safe(value: Any) -> str:
    """Return the value as text that a spreadsheet shows, never evaluates."""
    text = "" if value is None else str(value)
    if text.startswith(FORMULA_STARTS):
        return "'" + text
    return text


class _Echo:
    def write(self, value: str) -> str:
        return value


def csv_response(
    filename: str, header: Sequence[str], rows: Iterable[Sequence[Any]]
) -> StreamingHttpResponse:
    """Stream a CSV file in UTF-8 with a BOM, so Excel shows Kazakh letters correctly."""
    writer = csv.writer(_Echo())

    def lines() -> Iterator[str]:
        yield "\ufeff" + writer.writerow([spreadsheet_safe(h) for h in header])
        for row in rows:
            yield writer.writerow([spreadsheet_safe(v) for v in row])

    response = StreamingHttpResponse(lines(), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


def _xlsx_write(target: Any, header: Sequence[str], rows: Iterable[Sequence[Any]]) -> None:
    import openpyxl
    from openpyxl.cell import WriteOnlyCell
    from openpyxl.styles import Font

    book = openpyxl.Workbook(write_only=True)
    sheet = book.create_sheet()
    bold = Font(bold=True)

    def cells(values: Sequence[Any], header_row: bool = False) -> list[Any]:
        out = []
        for value in values:
            cell = WriteOnlyCell(sheet, value="" if value is None else str(value))
            # Text, always: a string starting with "=" must never become a formula, and IINs
            # and card numbers keep their leading zeros.
            cell.data_type = "s"
            if header_row:
                cell.font = bold
            out.append(cell)
        return out

    sheet.append(cells(header, header_row=True))
    for row in rows:
        sheet.append(cells(row))
    book.save(target)


def xlsx_bytes(header: Sequence[str], rows: Iterable[Sequence[Any]], **_options: Any) -> bytes:
    """Return a small XLSX file in memory (templates)."""
    import io

    buffer = io.BytesIO()
    _xlsx_write(buffer, header, rows)
    return buffer.getvalue()


def xlsx_response(
    filename: str, header: Sequence[str], rows: Iterable[Sequence[Any]]
) -> FileResponse:
    """Write an XLSX file row by row to a temporary file and send it: memory stays flat."""
    import tempfile

    # Closed by the response once sent; a `with` block would close it too early.
    handle = tempfile.TemporaryFile(suffix=".xlsx")  # noqa: SIM115
    _xlsx_write(handle, header, rows)
    handle.seek(0)
    return FileResponse(
        handle,
        as_attachment=True,
        filename=filename,
        content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    )
