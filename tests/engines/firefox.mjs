// Drives Debian's Firefox ESR for tests/test_engines.py, over WebDriver BiDi with Puppeteer
// (Playwright cannot drive a Firefox it did not patch). One command per line on stdin, one
// JSON reply per line on stdout:
//   {"op": "goto", "url"} | {"op": "eval", "expression"} | {"op": "click", "selector"}
//   | {"op": "errors"} (console errors and uncaught errors so far, the worker's included)
// Replies: {"value"} or {"error"}.
import { createInterface } from "node:readline";
import puppeteer from "puppeteer";

const browser = await puppeteer.launch({
  browser: "firefox",
  executablePath: process.env.FIREFOX || "/usr/bin/firefox-esr",
  headless: true,
});
const page = await browser.newPage();
await page.setViewport({ width: 1280, height: 900 });
const errors = [];
// Firefox logs this for a load cut by leaving a page while the service worker's answer was
// being copied to it (Gecko's FetchEventOp), at times only later, on the next page: the reader
// sees nothing. A failure of the worker itself logs another message ("... respondWith() that
// rejected with ...", or a bad response), which is counted.
const CUT_BY_LEAVING = /A ServiceWorker intercepted the request and encountered an unexpected error\.$/;
const record = (error) => CUT_BY_LEAVING.test(error) || errors.push(error);
page.on("console", (message) => message.type() === "error" && record(`console error: ${message.text()}`));
page.on("pageerror", (error) => record(`page error: ${error.message ?? error}`));

const commands = {
  goto: ({ url }) => page.goto(url, { waitUntil: "load" }).then(() => null),
  eval: ({ expression }) => page.evaluate(expression),
  click: ({ selector }) => page.click(selector),
  errors: () => errors.splice(0),
};

console.log(JSON.stringify({ value: "ready" }));
for await (const line of createInterface({ input: process.stdin })) {
  const command = JSON.parse(line);
  try {
    const value = await commands[command.op](command);
    console.log(JSON.stringify({ value: value ?? null }));
  } catch (error) {
    console.log(JSON.stringify({ error: String(error?.message || error) }));
  }
}
await browser.close();
