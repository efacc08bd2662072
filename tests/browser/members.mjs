// Browser test of the members area: node tests/browser/members.mjs <site_dir> <passphrase> [expected text…]
// Serves <site_dir> on 127.0.0.1, opens /members/ in headless Chromium,
// (1) enters a wrong passphrase: a clear message, no member shown;
// (2) enters the right one: the members directory appears (and contains
// every expected text, e.g. a members-only e-mail). Exit 0 on success.
import { chromium } from "playwright-core";
import { serve, launchOptions } from "./serve.mjs";

const [site, passphrase, ...expected] = process.argv.slice(2);
if (!site || !passphrase) {
  console.error("usage: node tests/browser/members.mjs <site_dir> <passphrase> [expected text…]");
  process.exit(2);
}
const server = await serve(site);
const url = `${server.url}/members/`;
const browser = await chromium.launch({ ...launchOptions(), headless: true });
let failed = false;
const fail = (m) => { console.error("FAIL: " + m); failed = true; };
try {
  const page = await browser.newPage();
  const errors = [];
  page.on("pageerror", (e) => errors.push(String(e)));
  await page.goto(url);
  const input = page.locator("#members-passphrase");
  await input.waitFor({ state: "visible" });

  // Wrong passphrase.
  await input.fill(passphrase + "-wrong");
  await input.press("Enter");
  const status = page.locator("#members-status");
  await page.waitForFunction(() => {
    const s = document.getElementById("members-status").textContent;
    return s && !/…|\.\.\./.test(s);
  }, null, { timeout: 60000 });
  const wrongMsg = (await status.textContent()).trim();
  const shownWrong = await page.locator("#members-list li").count();
  if (shownWrong !== 0) fail(`wrong passphrase showed ${shownWrong} people`);
  if (!wrongMsg) fail("no message for a wrong passphrase");
  if (!(await page.locator("#members-directory").isHidden())) fail("directory visible after a wrong passphrase");
  console.log(`wrong passphrase: message "${wrongMsg}", ${shownWrong} people shown`);

  // Right passphrase (keyboard only: type + Enter).
  await input.fill(passphrase);
  const t0 = Date.now();
  await input.press("Enter");
  await page.locator("#members-list li").first().waitFor({ timeout: 60000 });
  const ms = Date.now() - t0;
  const n = await page.locator("#members-list li").count();
  const text = await page.locator("#members-directory").innerText();
  for (const e of expected) if (!text.includes(e)) fail(`expected text not shown: ${e}`);
  const mailtos = await page.locator('#members-list a[href^="mailto:"]').count();
  console.log(`right passphrase: ${n} people shown in ${ms} ms (key derivation + decryption), ${mailtos} e-mail links`);
  if (n === 0) fail("no people after the right passphrase");
  if ((await status.textContent()).trim() !== "") fail("status not cleared after success");
  if (errors.length) fail("page errors: " + errors.join("; "));
} catch (e) {
  fail(String(e));
} finally {
  await browser.close();
  await server.close();
}
process.exit(failed ? 1 : 0);
