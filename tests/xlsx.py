"""Writing small workbooks for import tests."""

import openpyxl


def write_xlsx(path, header, rows, *, title="测试表"):
    """A workbook whose first sheet has an optional title row, the header row, then ``rows``."""
    workbook = openpyxl.Workbook()
    sheet = workbook.active
    if title:
        sheet.append([title])
    sheet.append(list(header))
    for row in rows:
        sheet.append(list(row))
    workbook.save(path)
    return path


def read_xlsx(path):
    """All rows of the first sheet as lists of values."""
    workbook = openpyxl.load_workbook(path, read_only=True)
    try:
        return [list(row) for row in workbook.worksheets[0].iter_rows(values_only=True)]
    finally:
        workbook.close()


def write_xls(path, header, rows, *, title="测试表", sheets_before=()):
    """An old-style .xls workbook (as 智慧团建's template is), written by xlwt."""
    import datetime

    import xlwt

    workbook = xlwt.Workbook(encoding="utf-8")
    for name, lines in sheets_before:
        sheet = workbook.add_sheet(name)
        for r, line in enumerate(lines):
            sheet.write(r, 0, line)
    sheet = workbook.add_sheet("Sheet1")
    date_style = xlwt.easyxf(num_format_str="YYYY-MM-DD")
    lines = ([[title]] if title else []) + [list(header)] + [list(row) for row in rows]
    for r, line in enumerate(lines):
        for c, value in enumerate(line):
            if isinstance(value, datetime.date):
                sheet.write(r, c, value, date_style)
            elif value not in (None, ""):
                sheet.write(r, c, value)
    workbook.save(str(path))
    return path


def write_ods(path, header, rows, *, title="测试表"):
    """A minimal OpenDocument spreadsheet, every cell a string or a date."""
    import datetime
    import zipfile
    from xml.sax.saxutils import escape

    def cell(value):
        if isinstance(value, datetime.date):
            return (
                f'<table:table-cell office:value-type="date" office:date-value="{value}">'
                f"<text:p>{value}</text:p></table:table-cell>"
            )
        if value in (None, ""):
            return "<table:table-cell/>"
        return (
            '<table:table-cell office:value-type="string">'
            f"<text:p>{escape(str(value))}</text:p></table:table-cell>"
        )

    lines = ([[title]] if title else []) + [list(header)] + [list(row) for row in rows]
    body = "".join(
        "<table:table-row>" + "".join(cell(v) for v in line) + "</table:table-row>"
        for line in lines
    )
    content = (
        '<?xml version="1.0" encoding="UTF-8"?>'
        '<office:document-content xmlns:office="urn:oasis:names:tc:opendocument:xmlns:office:1.0"'
        ' xmlns:table="urn:oasis:names:tc:opendocument:xmlns:table:1.0"'
        ' xmlns:text="urn:oasis:names:tc:opendocument:xmlns:text:1.0" office:version="1.2">'
        f'<office:body><office:spreadsheet><table:table table:name="Sheet1">{body}'
        "</table:table></office:spreadsheet></office:body></office:document-content>"
    )
    manifest = (
        '<?xml version="1.0" encoding="UTF-8"?>'
        '<manifest:manifest xmlns:manifest="urn:oasis:names:tc:opendocument:xmlns:manifest:1.0"'
        ' manifest:version="1.2"><manifest:file-entry manifest:full-path="/"'
        ' manifest:media-type="application/vnd.oasis.opendocument.spreadsheet"/>'
        '<manifest:file-entry manifest:full-path="content.xml" manifest:media-type="text/xml"/>'
        "</manifest:manifest>"
    )
    with zipfile.ZipFile(path, "w") as archive:
        archive.writestr(
            "mimetype", "application/vnd.oasis.opendocument.spreadsheet", zipfile.ZIP_STORED
        )
        archive.writestr("content.xml", content, zipfile.ZIP_DEFLATED)
        archive.writestr("META-INF/manifest.xml", manifest, zipfile.ZIP_DEFLATED)
    return path


def write_csv(path, header, rows, *, encoding="utf-8", title=None):
    """A CSV file as Excel or WPS saves one, in ``encoding`` (utf-8, utf-8-sig, gb18030)."""
    import csv
    import io

    buffer = io.StringIO(newline="")
    writer = csv.writer(buffer)
    if title:
        writer.writerow([title])
    writer.writerow(list(header))
    for row in rows:
        writer.writerow(["" if v is None else str(v) for v in row])
    path.write_bytes(buffer.getvalue().encode(encoding))
    return path
