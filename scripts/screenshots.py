"""Screenshots of the participant's path, in Filipino and English, on a 360 px wide phone screen.

    .venv/bin/python scripts/screenshots.py

Starts a throwaway Roundtable with synthetic data (tests/browser/server.py), walks the path with
Playwright driving Debian's chromium (/usr/bin/chromium; never downloads a browser) and writes PNGs to
docs/screenshots/. Nothing leaves the machine.
"""

from __future__ import annotations

import json
import re
import signal
import subprocess
import sys
import tempfile
from pathlib import Path

from playwright.sync_api import sync_playwright

ROOT = Path(__file__).resolve().parent.parent
OUT = ROOT / "docs" / "screenshots"
CHROMIUM = "/usr/bin/chromium"
ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
        "--disable-component-update", "--disable-sync", "--no-first-run"]


def walk(page, live: dict, language: str) -> list[str]:
    base = live["base_url"]
    saved = []

    def shot(name: str) -> None:
        path = OUT / f"{language}-{len(saved) + 1:02d}-{name}.png"
        page.screenshot(path=str(path), full_page=True)
        saved.append(path.name)

    def submit() -> None:
        with page.expect_navigation():
            page.click("main form [type=submit]")

    page.goto(f"{base}/language/{language}")
    page.goto(base + "/")
    shot("home")
    page.goto(base + "/join")
    page.fill("#code", live["join_code"])
    page.check(f"input[name=language][value={language}]")
    shot("join")
    submit()
    shot("consent")
    page.check("#clause-take_part")
    page.check("#clause-store_words")
    page.check("#adult")
    submit()
    page.fill("#pseudonym", "Tala" if language == "fil" else "Dawn")
    shot("pseudonym")
    submit()
    shot("passphrase")
    words = page.locator("ol.passphrase li").all_inner_texts()
    for field in ("first", "second"):
        number = int(re.search(r"\d+", page.inner_text(f"label[for={field}]")).group())
        page.fill(f"#{field}", words[number - 1])
    submit()
    shot("before-you-write")
    page.goto(base + "/my")
    shot("my-words")
    page.goto(f"{base}/write/{live['prompt_id']}")
    page.fill("#text", "Sana may tahimik na silid at taong pinagkakatiwalaan ko." if language == "fil"
              else "A quiet room and a person I trust beside me.")
    shot("write")
    page.goto(base + "/support")
    shot("support")
    page.goto(base + "/exit/about")
    shot("quick-exit")
    return saved


def main() -> None:
    if not Path(CHROMIUM).exists():
        sys.exit(f"chromium not found at {CHROMIUM}: install Debian's chromium (apt-get install chromium)")
    OUT.mkdir(parents=True, exist_ok=True)
    for old in OUT.glob("*.png"):
        old.unlink()
    with tempfile.TemporaryDirectory() as directory:
        server = subprocess.Popen(
            [sys.executable, str(ROOT / "tests" / "browser" / "server.py"), directory],
            stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, text=True,
        )
        try:
            live = json.loads(server.stdout.readline())
            with sync_playwright() as playwright:
                browser = playwright.chromium.launch(executable_path=CHROMIUM, args=ARGS)
                for language in ("fil", "en"):
                    context = browser.new_context(viewport={"width": 360, "height": 640}, device_scale_factor=1)
                    context.route(lambda url: not url.startswith(live["base_url"] + "/"), lambda route: route.abort())
                    names = walk(context.new_page(), live, language)
                    context.close()
                    print("\n".join(f"docs/screenshots/{name}" for name in names))
                browser.close()
        finally:
            server.send_signal(signal.SIGTERM)
            server.wait(timeout=10)


if __name__ == "__main__":
    main()
