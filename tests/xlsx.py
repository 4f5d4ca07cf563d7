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
