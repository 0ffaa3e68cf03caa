"""The two other browser engines readers use, behind one small interface for test_engines.py.

Playwright cannot drive Debian's browsers other than Chromium (it needs its own patched builds,
a download), so each engine is driven by the tool that can:

- Firefox ESR by Puppeteer over WebDriver BiDi, in node (``engines/firefox.mjs``, a line of
  JSON per command);
- WebKitGTK (Safari's engine) by Selenium through ``WebKitWebDriver`` and its MiniBrowser, on
  an X server of its own (Xvfb).

Each offers ``goto(url)``, ``eval(expression)`` (its value, JSON-like), ``click(selector)``
(a real click, after scrolling the element to the middle of the screen), ``errors()`` (console
and uncaught errors since the last call) and ``close()``.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import warnings
from pathlib import Path

ENGINES = Path(__file__).parent / "engines"
FIREFOX = "/usr/bin/firefox-esr"
WEBKIT_DRIVER = "/usr/bin/WebKitWebDriver"
MINIBROWSER = "/usr/lib/x86_64-linux-gnu/webkit2gtk-4.1/MiniBrowser"

# WebKitWebDriver has no log API and no BiDi: the page records its own errors, from load on.
RECORD_ERRORS = """
    if (!window.__errors) {
      window.__errors = [];
      const error = console.error.bind(console);
      console.error = (...args) => { window.__errors.push("console error: " + args.join(" ")); error(...args); };
      addEventListener("error", (event) => window.__errors.push("page error: " + event.message));
      addEventListener("unhandledrejection", (event) => window.__errors.push("page error: " + event.reason));
    }
"""

CENTER = "document.querySelector(arguments[0]).scrollIntoView({block: 'center'})"


def missing(engine: str) -> str | None:
    """Why ``engine`` cannot run here (what to install), or None."""
    if engine == "firefox":
        if not Path(FIREFOX).exists():
            return f"{FIREFOX} is missing (make test installs firefox-esr)"
        if not (ENGINES / "node_modules" / "puppeteer").exists():
            return "puppeteer is missing (make test runs npm ci in tests/engines)"
    if engine == "webkit":
        for path in (WEBKIT_DRIVER, MINIBROWSER, shutil.which("Xvfb") or "/usr/bin/Xvfb"):
            if not Path(path).exists():
                return f"{path} is missing (make test installs webkit2gtk-driver and xvfb)"
        try:
            import selenium  # noqa: F401
        except ImportError:
            return "selenium is missing (requirements/test.txt)"
    return None


class Firefox:
    def __init__(self):
        self.process = subprocess.Popen(
            ["node", str(ENGINES / "firefox.mjs")], cwd=ENGINES, text=True,
            stdin=subprocess.PIPE, stdout=subprocess.PIPE, env={**os.environ, "FIREFOX": FIREFOX},
        )
        assert self.read() == "ready"

    def read(self):
        line = self.process.stdout.readline()
        if not line:
            raise RuntimeError(f"the Firefox driver ended (exit status {self.process.wait()})")
        reply = json.loads(line)
        if "error" in reply:
            raise RuntimeError(reply["error"])
        return reply["value"]

    def send(self, op, **arguments):
        self.process.stdin.write(json.dumps({"op": op, **arguments}) + "\n")
        self.process.stdin.flush()
        return self.read()

    def goto(self, url):
        self.send("goto", url=url)

    def eval(self, expression):
        return self.send("eval", expression=expression)

    def click(self, selector):
        self.eval(f"document.querySelector({json.dumps(selector)}).scrollIntoView({{block: 'center'}})")
        self.send("click", selector=selector)

    def errors(self):
        return self.send("errors")

    def close(self):
        self.process.stdin.close()
        try:
            self.process.wait(timeout=20)
        except subprocess.TimeoutExpired:
            self.process.kill()
            self.process.wait()
        self.process.stdout.close()


class WebKit:
    def __init__(self):
        from selenium import webdriver
        from selenium.webdriver.webkitgtk.options import Options
        from selenium.webdriver.webkitgtk.service import Service

        # A display of its own: the first free one from :90 on.
        display = next(n for n in range(90, 200) if not Path(f"/tmp/.X11-unix/X{n}").exists())
        self.xvfb = subprocess.Popen(["Xvfb", f":{display}", "-screen", "0", "1280x900x24", "-nolisten", "tcp"],
                                     stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        options = Options()
        options.binary_location = MINIBROWSER
        options.add_argument("--automation")
        service = Service(executable_path=WEBKIT_DRIVER, env={**os.environ, "DISPLAY": f":{display}"})
        try:
            with warnings.catch_warnings():  # Selenium's WebKitGTK class calls its own deprecated API
                warnings.simplefilter("ignore", DeprecationWarning)
                self.driver = webdriver.WebKitGTK(options=options, service=service)
        except Exception:
            self.xvfb.terminate()
            raise
        self.errors_seen = []

    def goto(self, url):
        self.collect()
        self.driver.get(url)
        self.driver.execute_script(RECORD_ERRORS)

    def eval(self, expression):
        return self.driver.execute_script(f"return ({expression});")

    def click(self, selector):
        from selenium.webdriver.common.by import By

        self.driver.execute_script(CENTER, selector)
        self.driver.find_element(By.CSS_SELECTOR, selector).click()

    def collect(self):
        try:
            self.errors_seen += self.driver.execute_script("return (window.__errors || []).splice(0);")
        except Exception:  # no page yet
            pass

    def errors(self):
        self.collect()
        seen, self.errors_seen = self.errors_seen, []
        return seen

    def close(self):
        try:
            self.driver.quit()
        finally:
            self.xvfb.terminate()
            self.xvfb.wait()


def launch(engine: str):
    return {"firefox": Firefox, "webkit": WebKit}[engine]()
