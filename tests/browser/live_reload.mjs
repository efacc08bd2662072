// Live reload in a real browser: headless Chromium against the real serve()
// (the `child_process_running_serve` mode of the tests/serve.rs binary).
// Checks: a save reloads the tab (and reports save -> DOMContentLoaded of the
// reloaded page), a broken save shows the escaped overlay over the last good
// page, a fix clears it, Ctrl-C (SIGINT) exits 0.
//
// Not run by `cargo test` (needs Chromium and playwright-core):
//   apt-get install -y chromium; (cd /tmp/pw && npm i playwright-core)
//   cargo test --test serve --no-run   # prints the binary path
//   NODE_PATH=/tmp/pw/node_modules node tests/browser/live_reload.mjs target/debug/deps/serve-<hash>
import assert from 'node:assert/strict';
import { createRequire } from 'node:module';
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
// require() honours NODE_PATH, so playwright-core can live outside the repo.
const { chromium } = createRequire(import.meta.url)('playwright-core');

const bin = process.argv[2];
const root = fs.mkdtempSync(path.join(os.tmpdir(), 'enishi-serve-'));
fs.mkdirSync(path.join(root, 'content'));
fs.writeFileSync(path.join(root, 'site.yaml'), 'title: t\n');
const page = path.join(root, 'content/page.md');
fs.writeFileSync(page, 'v0');
const port = 20000 + Math.floor(Math.random() * 20000);
const child = spawn(bin, ['--exact', 'child_process_running_serve', '--nocapture', '--test-threads=1'], {
  env: { ...process.env, ENISHI_TEST_SERVE_ROOT: root, ENISHI_TEST_SERVE_PORT: String(port) },
  stdio: ['ignore', 'pipe', 'pipe'],
});
let log = '';
child.stdout.on('data', d => (log += d));
child.stderr.on('data', d => (log += d));
while (!log.includes('Serving http://')) await new Promise(r => setTimeout(r, 20));

const browser = await chromium.launch({
  executablePath: '/usr/bin/chromium',
  args: ['--no-sandbox', '--disable-gpu', '--disable-background-networking'],
});
const ctx = await browser.newContext();
const tab = await ctx.newPage();
const errors = [];
tab.on('pageerror', e => errors.push(String(e)));
tab.on('console', m => { if (m.type() === 'error') errors.push(m.text()); });
await tab.goto(`http://127.0.0.1:${port}/`);
const h1 = () => tab.textContent('h1');
assert.equal(await h1(), 'from the child: v0');
await tab.waitForTimeout(300); // EventSource connected

// A page without scripts of its own is swapped in place (no navigation):
// this window property survives every edit.
await tab.evaluate(() => { window.__enishiKept = 1; });
const times = [];
for (let i = 1; i <= 10; i++) {
  const t0 = Date.now();
  fs.writeFileSync(page, `v${i}`);
  await tab.waitForFunction(v => document.querySelector('h1')?.textContent.endsWith(v), `v${i}`, { polling: 5, timeout: 3000 });
  times.push(Date.now() - t0);
  assert.equal(await tab.evaluate(() => window.__enishiKept), 1, 'swapped in place, not reloaded');
  await tab.waitForTimeout(100);
}
times.sort((a, b) => a - b);
console.log('save -> new text in the tab in Chromium (ms): min %d median %d max %d',
  Math.round(times[0]), Math.round(times[5]), Math.round(times[9]));

fs.writeFileSync(page, 'BROKEN');
await tab.waitForSelector('#__enishi_errors', { timeout: 3000 });
const overlay = await tab.textContent('#__enishi_errors');
console.log('overlay:', overlay.replace(/\s+/g, ' ').slice(0, 200));
assert.match(overlay, /content\/page\.md:2:5/);
assert.match(overlay, /found <script>alert\(1\)<\/script>/); // shown as text
assert.equal(await tab.$('#__enishi_errors script'), null, 'message escaped, not markup');
assert.equal(await h1(), 'from the child: v10', 'last good page kept');

fs.writeFileSync(page, 'fixed');
await tab.waitForFunction(() => document.querySelector('h1')?.textContent.endsWith('fixed'), null, { timeout: 3000 });
assert.equal(await tab.$('#__enishi_errors'), null, 'overlay cleared after the fix');

child.kill('SIGINT');
await new Promise(r => child.on('exit', r));
assert.equal(child.exitCode, 0, 'Ctrl-C exits 0');
// favicon.ico is a 404 in this tiny fake site; nothing else may fail.
assert.deepEqual(errors.filter(e => !e.includes('404')), []);
console.log('ok');
await browser.close();
fs.rmSync(root, { recursive: true });
