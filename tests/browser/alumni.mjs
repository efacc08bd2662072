// Browser test + measurement of the public directory:
//   node tests/browser/alumni.mjs <site_dir>
// Serves <site_dir> on 127.0.0.1 and opens /alumni/ in headless Chromium:
// - first page load: bytes transferred (raw and gzip) by every request; the
//   filter data must not be fetched before the visitor starts filtering;
// - filtering by company, department, year, skill, name, and sorting: the
//   time from input to updated results (filter + render, and end to end);
// - results actually match, the aria-live count updates, reset restores.
import zlib from "node:zlib";
import { chromium } from "playwright-core";
import { serve, launchOptions } from "./serve.mjs";

const [site] = process.argv.slice(2);
if (!site) { console.error("usage: node tests/browser/alumni.mjs <site_dir>"); process.exit(2); }
const server = await serve(site);
const base = server.url;
const browser = await chromium.launch({ ...launchOptions(), headless: true });
let failed = false;
const fail = (m) => { console.error("FAIL: " + m); failed = true; };
try {
  const page = await browser.newPage();
  const errors = [];
  page.on("pageerror", (e) => errors.push(String(e)));
  const loads = [];
  page.on("response", async (r) => {
    try { const b = await r.body(); loads.push({ url: r.url(), raw: b.length, gz: zlib.gzipSync(b).length }); } catch {}
  });
  await page.goto(base + "/alumni/", { waitUntil: "networkidle" });
  const first = loads.slice();
  const raw = first.reduce((a, l) => a + l.raw, 0), gz = first.reduce((a, l) => a + l.gz, 0);
  console.log(`first load: ${first.length} requests, ${(raw / 1024).toFixed(1)} KB raw, ${(gz / 1024).toFixed(1)} KB gzip`);
  for (const l of first) console.log(`  ${l.url.replace(base, "")}: ${l.raw} B (${l.gz} B gzip)`);
  if (first.some((l) => l.url.endsWith("directory.json"))) fail("filter data fetched before filtering");
  if (raw > 200 * 1024) fail(`first load ${raw} bytes > 200 KB`);
  if (await page.locator("#alumni-filter").isHidden()) fail("filter form hidden with JS");
  const initialCount = await page.locator("#alumni-count").textContent();
  const initialItems = await page.locator("#alumni-list > li").count();

  // Start filtering with the keyboard: focus the company field (loads data).
  const tLoad = Date.now();
  await page.locator("#af-company").focus();
  await page.waitForFunction(() => document.querySelectorAll("#af-companies option").length > 0, null, { timeout: 30000 });
  let dataLoad;
  for (let i = 0; i < 100 && !(dataLoad = loads.find((l) => l.url.endsWith("directory.json"))); i++) {
    await new Promise((r) => setTimeout(r, 50));
  }
  console.log(`filter data: ${(dataLoad.raw / 1024).toFixed(0)} KB raw, ${(dataLoad.gz / 1024).toFixed(0)} KB gzip, ready in ${Date.now() - tLoad} ms`);

  const pick = await page.evaluate(() => {
    const opt = (id) => { const o = document.querySelectorAll(`#${id} option`); return o.length ? o[Math.floor(o.length / 2)].value : ""; };
    return { company: opt("af-companies"), department: opt("af-departments"), skill: opt("af-skills") };
  });
  // Set a field and measure until the aria-live count changes.
  async function measure(sel, value) {
    return page.evaluate(async ([sel, value]) => {
      const el = document.querySelector(sel), count = document.getElementById("alumni-count");
      const t0 = performance.now();
      const done = new Promise((res) => new MutationObserver((_, o) => { o.disconnect(); res(); })
        .observe(count, { childList: true, characterData: true, subtree: true, attributes: true }));
      el.value = value;
      el.dispatchEvent(new Event(el.tagName === "SELECT" ? "change" : "input", { bubbles: true }));
      await done;
      return { e2e: performance.now() - t0, filter: parseFloat(count.getAttribute("data-ms")), text: count.textContent,
               shown: document.querySelectorAll("#alumni-list > li").length };
    }, [sel, value]);
  }
  const steps = [
    ["#af-company", pick.company, "company"],
    ["#af-company", "", "clear company"],
    ["#af-department", pick.department, "department"],
    ["#af-year", "2015", "department + year 2015"],
    ["#af-skill", pick.skill, "+ skill"],
    ["#af-department", "", "year + skill"],
    ["#af-year", "", "skill"],
    ["#af-sort", "joined", "skill, sort by joined"],
    ["#af-skill", "", "everyone, sort by joined"],
    ["#af-name", "た", "name た, sort by joined"],
  ];
  let worst = 0;
  for (const [sel, value, label] of steps) {
    const r = await measure(sel, value);
    worst = Math.max(worst, r.e2e);
    console.log(`  ${label.padEnd(28)} ${r.text.padEnd(22)} filter+render ${r.filter.toFixed(1)} ms, end-to-end ${r.e2e.toFixed(1)} ms, ${r.shown} shown`);
  }
  if (worst > 100) fail(`slowest filter took ${worst.toFixed(1)} ms end to end (> 100 ms)`);

  // Results match the filter.
  await page.locator("#af-name").fill("");
  await page.locator("#af-sort").selectOption("reading");
  const r = await measure("#af-company", pick.company);
  const texts = await page.locator("#alumni-list > li").allInnerTexts();
  if (!texts.length || !texts.every((t) => t.includes(pick.company))) fail(`results for company ${pick.company} do not all match`);
  console.log(`company "${pick.company}": ${r.text}; every result mentions it: ${texts.every((t) => t.includes(pick.company))}`);

  // Reset (keyboard: the reset button) restores the server-rendered page.
  await page.locator('#alumni-filter button[type="reset"]').focus();
  await page.keyboard.press("Enter");
  await page.waitForFunction((c) => document.getElementById("alumni-count").textContent === c, initialCount);
  if ((await page.locator("#alumni-list > li").count()) !== initialItems) fail("reset did not restore the list");
  if (await page.locator("#alumni-pages").count() && await page.locator("#alumni-pages").isHidden()) fail("pagination hidden after reset");
  if (errors.length) fail("page errors: " + errors.join("; "));
} catch (e) {
  fail(String(e && e.stack || e));
} finally {
  await browser.close();
  await server.close();
}
process.exit(failed ? 1 : 0);
