"""The walks' checks catch what they are for: an overflowing table, English on a Chinese page."""

import pytest

from tests.e2e.walks import DESKTOP, PHONE, english_words, overflowing_tables


def test_english_words_allow_codes_numbers_and_file_kinds():
    texts = ["下载 表1-1（.xlsx）", "C1-K1-B1 · XMU · 350102-S1", "编号 201900010001", "fuzhou"]
    assert english_words(texts, allowed=["fuzhou"]) == []
    found = english_words(["选择 团员 来修改", "CHANGES", "None", "Add member"])
    # "CHANGES" is seven capitals: no code is that long, so it counts as English.
    assert [word for word, _text in found] == ["CHANGES", "None", "Add", "member"]


@pytest.fixture
def bare_page(browser):
    context = browser.new_context(locale="zh-CN", viewport=DESKTOP)
    yield context.new_page()
    context.close()


WIDE_TABLE = """<html lang="zh-hans"><body><div style="width:300px">
<table><tr>{}</tr></table></div></body></html>""".format(
    '<td style="white-space:nowrap">一二三四五六七八九十</td>' * 8
)


def test_overflow_check_finds_a_table_wider_than_its_box(bare_page):
    bare_page.set_content(
        WIDE_TABLE.replace('style="width:300px"', 'style="width:300px;overflow-x:auto"')
    )
    problems = overflowing_tables(bare_page)
    assert len(problems) == 1 and "in div of 300 px" in problems[0]


def test_overflow_check_finds_a_page_that_scrolls_sideways(bare_page):
    bare_page.set_viewport_size(PHONE)
    bare_page.set_content(
        '<html lang="zh-hans"><body><div style="width:900px">宽</div></body></html>'
    )
    assert any("scrolls sideways" in p for p in overflowing_tables(bare_page))


def test_overflow_check_passes_a_table_that_fits(bare_page):
    bare_page.set_content(
        '<html><body><div style="width:600px"><table><tr><td>一</td></tr></table></div></body></html>'
    )
    assert overflowing_tables(bare_page) == []
