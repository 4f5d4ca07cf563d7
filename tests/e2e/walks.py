"""What every walked page must satisfy, checked by one function: :func:`check_page`.

* It saves a screenshot under ``E2E_SCREENSHOTS`` (default ``tests/e2e/screenshots/``), named
  after the walk, the viewport and the page, so that CI keeps what each role saw.
* No table is wider than its container (a table that only fits by scrolling sideways, or is cut
  off, overflows) and the page itself does not scroll sideways.
* On a page whose language is Chinese, no English shows: the visible text holds no word of two
  or more Latin letters except codes (with digits, or short all-capital ones such as XMU),
  file extensions, the allow-list below and the signed-in user's name.
"""

import re

from tests.e2e.screens import screenshot

DESKTOP = {"width": 1366, "height": 900}
PHONE = {"width": 390, "height": 844}
SIZES = {"desktop": DESKTOP, "phone": PHONE}

#: Latin words allowed on a Chinese page: file kinds and names of standards and products.
ALLOWED_WORDS = {
    "xlsx",
    "xls",
    "csv",
    "ods",
    "pdf",
    "png",
    "svg",
    "excel",
    "wps",
    "gb",
    "id",
    "no",
    "zxm",  # the member search's example of pinyin initials (张晓明)
}
#: A token with a digit is a code (C1-K1-B1, 350102-S1, 2019); short capitals are codes too.
_TOKEN = re.compile(r"[A-Za-z0-9][A-Za-z0-9_.:/@+\-]*")
_CAPITALS = re.compile(r"^[A-Z]{2,6}$")

_OVERFLOW_JS = """
() => {
  const problems = [];
  const describe = (el) => {
    const id = el.id ? '#' + el.id : '';
    const cls = el.className && typeof el.className === 'string'
      ? '.' + el.className.trim().split(/\\s+/).join('.') : '';
    return el.tagName.toLowerCase() + id + cls;
  };
  for (const table of document.querySelectorAll('table')) {
    if (!table.checkVisibility()) continue;
    const container = table.parentElement;
    const width = Math.max(table.scrollWidth, table.getBoundingClientRect().width);
    if (width > container.clientWidth + 1) {
      problems.push(`${describe(table)} is ${Math.round(width)} px wide in ` +
                    `${describe(container)} of ${container.clientWidth} px`);
    }
  }
  const page = document.documentElement;
  if (page.scrollWidth > window.innerWidth + 1) {
    problems.push(`the page scrolls sideways: ${page.scrollWidth} px in ${window.innerWidth} px`);
  }
  return problems;
}
"""

_TEXT_JS = """
() => {
  const lang = (document.documentElement.lang || '').toLowerCase();
  const texts = [];
  const walker = document.createTreeWalker(document.body, NodeFilter.SHOW_TEXT);
  while (walker.nextNode()) {
    const node = walker.currentNode;
    const el = node.parentElement;
    if (!el || !node.textContent.trim()) continue;
    if (el.closest('script, style, noscript, template, code, kbd, samp')) continue;
    const own = el.closest('[lang]');
    if (own && !own.lang.toLowerCase().startsWith('zh')) continue;
    if (el.tagName !== 'OPTION' && !el.checkVisibility()) continue;
    texts.push(node.textContent.trim());
  }
  return {lang, texts};
}
"""


def english_words(texts, allowed=()):
    """The Latin words in ``texts`` that are not codes, file kinds or ``allowed``."""
    allowed = {word.lower() for word in allowed} | ALLOWED_WORDS
    found = []
    for text in texts:
        for token in _TOKEN.findall(text):
            if any(ch.isdigit() for ch in token) or _CAPITALS.match(token):
                continue
            for word in re.findall(r"[A-Za-z]{2,}", token):
                if word.lower() not in allowed:
                    found.append((word, text[:80]))
    return found


def overflowing_tables(page):
    return page.evaluate(_OVERFLOW_JS)


def check_page(page, name, *, walk, size, username=""):
    """Screenshot the page, then fail on an overflowing table or English on a Chinese page."""
    page.wait_for_load_state("networkidle")
    screenshot(page, f"{walk}-{size}-{name}")
    where = f"{walk} at {size}: {name} ({page.url})"
    problems = overflowing_tables(page)
    assert problems == [], f"{where}: {problems}"
    seen = page.evaluate(_TEXT_JS)
    if seen["lang"].startswith("zh"):
        words = english_words(seen["texts"], allowed=[username] if username else [])
        assert words == [], f"{where}: English on a Chinese page: {words}"
