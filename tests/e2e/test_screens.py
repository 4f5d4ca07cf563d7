"""Screenshots of the walks go where CI collects them (``E2E_SCREENSHOTS``)."""

from tests.e2e import screens


class FakePage:
    def screenshot(self, *, path, full_page):
        with open(path, "wb") as handle:
            handle.write(b"png")


def test_screenshots_go_to_the_directory_named_by_the_environment(tmp_path, monkeypatch):
    monkeypatch.setenv("E2E_SCREENSHOTS", str(tmp_path / "shots"))
    path = screens.screenshot(FakePage(), "walk")
    assert path == tmp_path / "shots" / "walk.png"
    assert path.read_bytes() == b"png"


def test_screenshots_default_to_the_ignored_directory(monkeypatch):
    monkeypatch.delenv("E2E_SCREENSHOTS", raising=False)
    assert screens.DEFAULT.name == "screenshots"
    assert screens.DEFAULT.parent.name == "e2e"
