// Accessibility and keyboard checks of a built enishi site in headless Chromium.
//
// usage: node tests/browser/a11y.mjs SITE_DIR
//
// 1. axe-core on the home page, /news/, the first interview, job and event
//    linked from their lists, /alumni/, /alumni/stats/, /search/?q=アルムナイ,
//    /members/ and /404.html: every violation is printed and fails, whatever
//    its impact (minor and moderate ones too: the pages are clean). Uncaught page errors and requests leaving the site fail too.
// 2. Keyboard: from the top of the home page, Tab reaches the header search
//    input; typing a query and Enter lands on /search/?q=… with result links
//    in <main>. On /alumni/, Tab reaches the filter controls and keyboard input
//    (typing, arrow keys, space) changes the result count (the text of a
//    role=status / aria-live / <output> element in <main>, or the number of
//    visible entries).
import { createRequire } from 'node:module';
import { serveSite, launchBrowser, blockExternal, firstItemPath, siteDirFromArgs } from './lib/site.mjs';

const require = createRequire(import.meta.url);
const AXE = require.resolve('axe-core/axe.min.js');
const QUERY = process.env.A11Y_QUERY || 'アルムナイ';
const MAX_TABS = 60;

const dir = siteDirFromArgs('usage: node tests/browser/a11y.mjs SITE_DIR');
const failures = [];
const fail = (msg) => {
  failures.push(msg);
  console.error(`FAIL ${msg}`);
};

const server = await serveSite(dir);
const browser = await launchBrowser();
try {
  const context = await browser.newContext({ viewport: { width: 1280, height: 800 }, locale: 'ja-JP' });
  const blocked = await blockExternal(context, server.origin);
  const page = await context.newPage();
  const pageErrors = [];
  page.on('pageerror', (e) => pageErrors.push(`${page.url()}: ${e.message}`));

  // --- which pages
  const targets = [
    ['home', '/'],
    ['list', '/news/'],
    ['interview', await firstItemPath(page, server.origin, '/interviews/', '/interviews/')],
    ['job', await firstItemPath(page, server.origin, '/jobs/', '/jobs/')],
    [
      'event',
      (await firstItemPath(page, server.origin, '/events/', '/events/')) ||
        (await firstItemPath(page, server.origin, '/events/archive/', '/events/')),
    ],
    ['directory', '/alumni/'],
    ['stats', '/alumni/stats/'],
    ['search', `/search/?q=${encodeURIComponent(QUERY)}`],
    ['members', '/members/'],
    ['404', '/404.html'],
    // Another language's tree (SPEC "Languages"), when the site has one.
    ...((await page.goto(server.origin + '/en/').then((r) => r && r.status() === 200).catch(() => false))
      ? [['english home', '/en/'], ['english interview', await firstItemPath(page, server.origin, '/en/interviews/', '/en/interviews/')]]
      : []),
  ];

  // --- axe
  let checked = 0;
  for (const [name, path] of targets) {
    if (!path) {
      fail(`${name}: no page found (no link to a single ${name} page in the <main> of its list)`);
      continue;
    }
    const resp = await page.goto(server.origin + path, { waitUntil: 'networkidle' });
    if (!resp || resp.status() !== 200) {
      fail(`${name} ${path}: HTTP ${resp ? resp.status() : 'no response'}`);
      continue;
    }
    await page.addScriptTag({ path: AXE });
    const result = await page.evaluate(async () => {
      // eslint-disable-next-line no-undef
      const r = await axe.run(document, { resultTypes: ['violations'] });
      return r.violations.map((v) => ({
        id: v.id,
        impact: v.impact,
        help: v.help,
        nodes: v.nodes.map((n) => ({ target: n.target.join(' '), summary: n.failureSummary })),
      }));
    });
    checked++;
    const bad = result;
    console.log(`axe ${name} ${decodeURI(path)}: ${result.length} violation(s)`);
    for (const v of result) {
      const line = `  [${v.impact}] ${v.id}: ${v.help} (${v.nodes.length} node(s))`;
      console.log(line);
      for (const n of v.nodes.slice(0, 5)) console.log(`      ${n.target}\n        ${(n.summary || '').replace(/\n/g, '\n        ')}`);
    }
    for (const v of bad) fail(`axe ${name} ${decodeURI(path)}: [${v.impact}] ${v.id}: ${v.help}`);
  }

  // --- keyboard: header search
  await keyboardSearch(page, server.origin);
  // --- keyboard: directory filters
  await keyboardDirectory(page, server.origin);

  for (const e of pageErrors) fail(`uncaught page error: ${e}`);
  for (const u of blocked) fail(`request leaving the site: ${u}`);
  console.log(`a11y: ${checked} pages checked with axe, ${failures.length} failure(s)`);
} finally {
  await browser.close();
  await server.close();
}
process.exit(failures.length ? 1 : 0);

async function tabUntil(page, predicate, what) {
  for (let i = 0; i < MAX_TABS; i++) {
    await page.keyboard.press('Tab');
    if (await page.evaluate(predicate)) return i + 1;
  }
  fail(`keyboard: ${MAX_TABS} presses of Tab never reached ${what}`);
  return 0;
}

async function keyboardSearch(page, origin) {
  await page.goto(origin + '/', { waitUntil: 'networkidle' });
  const tabs = await tabUntil(
    page,
    () => {
      const a = document.activeElement;
      return !!a && a.matches('input') && !!a.closest('header, [role=banner]') &&
        (a.type === 'search' || a.name === 'q' || !!a.closest('[role=search], search'));
    },
    'the search input in the page header',
  );
  if (!tabs) return;
  await page.keyboard.type(QUERY);
  const [resp] = await Promise.all([
    page.waitForNavigation({ timeout: 10000 }).catch(() => null),
    page.keyboard.press('Enter'),
  ]);
  const url = new URL(page.url());
  if (!/\/search\/(index\.html)?$/.test(url.pathname) || url.searchParams.get('q') !== QUERY) {
    fail(`keyboard: Enter in the header search went to ${decodeURI(page.url())}, expected /search/?q=${QUERY}`);
    return;
  }
  if (!resp || resp.status() !== 200) {
    fail(`keyboard: /search/?q=${QUERY}: HTTP ${resp ? resp.status() : 'no response'}`);
    return;
  }
  // A result: a visible link in <main> (not back to /search/) whose entry
  // (the link or its list item / article) contains the query.
  const found = await page
    .waitForFunction(
      (q) => [...document.querySelectorAll('main a[href]')].some((a) => {
        if (new URL(a.href).pathname.includes('/search/') || a.getClientRects().length === 0) return false;
        const entry = a.closest('li, article') || a;
        return entry.textContent.normalize('NFKC').includes(q.normalize('NFKC'));
      }),
      QUERY,
      { timeout: 10000 },
    )
    .then(() => true)
    .catch(() => false);
  if (!found) fail(`keyboard: /search/?q=${QUERY} shows no result (a link in <main> whose entry contains the query)`);
  else console.log(`keyboard: header search reached in ${tabs} Tab(s); Enter -> /search/?q=${QUERY} with results`);
}

async function keyboardDirectory(page, origin) {
  const resp = await page.goto(origin + '/alumni/', { waitUntil: 'networkidle' });
  if (!resp || resp.status() !== 200) return; // reported by the axe pass
  const count = () =>
    page.evaluate(() => {
      const s = document.querySelector('main [role=status], main [aria-live], main output');
      const visible = [...document.querySelectorAll('main li, main tr, main article')].filter(
        (e) => e.getClientRects().length > 0,
      ).length;
      return `${s ? s.textContent.trim() : ''}|${visible}`;
    });
  const isControl = () => {
    const a = document.activeElement;
    return !!a && !!a.closest('main') && a.matches('input:not([type=hidden]), select, textarea');
  };
  if (!(await tabUntil(page, isControl, 'a filter control in the <main> of /alumni/'))) return;
  const before = await count();
  for (let control = 0; control < 12; control++) {
    const info = await page.evaluate(() => {
      const a = document.activeElement;
      return { tag: a.tagName.toLowerCase(), type: a.type || '', label: a.labels?.[0]?.textContent.trim() || a.getAttribute('aria-label') || a.name || a.id };
    });
    const keys =
      info.tag === 'select' ? ['ArrowDown', 'ArrowDown']
      : info.type === 'checkbox' || info.type === 'radio' ? ['Space']
      : info.type === 'number' || info.type === 'range' ? ['ArrowUp', 'ArrowUp']
      : null;
    if (keys) for (const k of keys) await page.keyboard.press(k);
    else await page.keyboard.type('zzq');
    const changed = await page
      .waitForFunction((b) => {
        const s = document.querySelector('main [role=status], main [aria-live], main output');
        const visible = [...document.querySelectorAll('main li, main tr, main article')].filter(
          (e) => e.getClientRects().length > 0,
        ).length;
        return `${s ? s.textContent.trim() : ''}|${visible}` !== b;
      }, before, { timeout: 2000 })
      .then(() => true)
      .catch(() => false);
    if (changed) {
      console.log(`keyboard: /alumni/ filter <${info.tag} ${info.type}> "${info.label}" changed the result count: ${before} -> ${await count()}`);
      return;
    }
    // try the next control
    if (!(await tabUntil(page, isControl, 'another filter control on /alumni/'))) return;
  }
  fail('keyboard: no filter control on /alumni/ changed the result count from the keyboard');
}
