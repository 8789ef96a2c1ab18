// The full page matrix: every page a role can reach by following links, in every display mode.
//
// For each role (a visitor, an NGO volunteer with an organisation, an official with every scope,
// an administrator) the crawl follows the links of every HTML page it is allowed to see, starting
// from the home page and the panel. Each page found is then opened in six display modes (normal,
// high contrast and largest text, at 1280 and at 320 px wide) and once in English, and checked:
// axe-core finds no violation of any impact, nothing but a table's own region scrolls sideways,
// the page has one h1, one main and its html lang. Every form with fields is then submitted
// emptied (in the four `FORM_MODES`) and the page that comes back with errors gets the same checks plus the GOV.UK rules
// (title prefixed "Błąd:", the summary focused, every summary link landing on a field).
// Finally the Nu HTML Checker (vnu.jar, Java) reads the raw HTML of every page and error page.
//
// A second item of a list and a second query variant of a page (the same template) are checked
// in the two smoke modes only.
//
// E2E_MATRIX=full (default) scans every page found; E2E_MATRIX=smoke the first pages of each
// role in two modes (the second database's run); E2E_MATRIX=off skips it.

import { spawnSync } from 'node:child_process';
import { createRequire } from 'node:module';
import fs from 'node:fs';
import path from 'node:path';

const require = createRequire(import.meta.url);

const LEVEL = process.env.E2E_MATRIX || 'full';
const MAX_PAGES_PER_ROLE = 160;
const SMOKE_PAGES_PER_ROLE = 8;
const MAX_ITEMS_PER_PARENT = 2;
const MAX_QUERY_VARIANTS = 4;
// Browser contexts checking one role's pages side by side (two cores: the server and Chromium
// keep both busy); E2E_LANES=1 checks them one after another.
const LANES = Math.max(1, Number(process.env.E2E_LANES || 2));

const MODES = [
  { name: 'normal 1280', width: 1280, ts: 'normal', hc: false, lang: 'pl' },
  { name: 'high contrast 1280', width: 1280, ts: 'normal', hc: true, lang: 'pl' },
  { name: 'largest text 1280', width: 1280, ts: 'larger', hc: false, lang: 'pl' },
  { name: 'normal 320', width: 320, ts: 'normal', hc: false, lang: 'pl' },
  { name: 'high contrast 320', width: 320, ts: 'normal', hc: true, lang: 'pl' },
  { name: 'largest text 320', width: 320, ts: 'larger', hc: false, lang: 'pl' },
  { name: 'English 1280', width: 1280, ts: 'normal', hc: false, lang: 'en' },
];
const SMOKE_MODES = ['normal 1280', 'largest text 320'];
// A form's error re-render is the page already checked in every mode plus the error summary and
// the messages by the fields: it is checked where those can differ — the first mode, high
// contrast, the narrowest largest text, and English (the messages' language).
const FORM_MODES = ['normal 1280', 'high contrast 320', 'largest text 320', 'English 1280'];

// Links never followed: files, feeds and machine formats (their own tests check them), sign-out.
const SKIP = [
  /^\/(api|pliki|static)\//,
  /\.(csv|ics|json|atom|xml|pdf|odt|png|jpe?g|svg|webp|txt)(\?|$)/,
  /^\/(healthz|readyz|metrics)$/,
  /\/wyloguj$/,
  /\/(kanal|feed)(\.|\/|$)/,
];

// Forms submitted emptied only when their address does not look like an action that needs no
// input (deleting, signing out, revoking a session, exporting).
const SKIP_FORM_ACTION = /wyloguj|usun|sesje|eksport|wypisz|anuluj|potwierdz|odwolaj/;

export function registerMatrix(h) {
  if (LEVEL === 'off') return;
  const { test, check, Failure, state } = h;
  const roles = {}; // name → { ctx, pages: [{ path, html }], forms: [...] }
  const htmlForVnu = []; // { label, html }
  const counts = { pages: 0, loads: 0, axeRuns: 0, errorPages: 0 };

  const setUp = async (name, fn) => {
    const ctx = await h.newContext({ preloadAxe: true, bypassCSP: true });
    const page = await ctx.newPage();
    try {
      await h.runOnPage(page, () => fn(page));
    } finally {
      await page.close().catch(() => {});
    }
    roles[name] = { ctx, pages: [], forms: [] };
  };

  test('matrix: the roles (visitor, NGO volunteer with an organisation, official with every scope, admin)', async () => {
    const stamp = Date.now();
    await setUp('visitor', async () => {});
    await setUp('admin', (page) => h.adminWithTotp(page, `admin-matrix-${stamp}@wierzbin.example`));
    const admin = roles.admin.ctx;
    // The volunteer represents an organisation (a claim the admin approves).
    let claimed = '';
    await setUp('volunteer', async (page) => {
      await h.signUpAndIn(page, `matrix-ngo-${stamp}@example.pl`, 'hasło wolontariusza matrycy', 'Wiesław Matryca');
      // The volunteer claims the demo organisation of the first organisation's event in the
      // calendar (the office's own entries have none), so that its panel lists hold real rows
      // (events, news, invitations to meetings).
      await h.open(page, '/kalendarz');
      let orgHref = null;
      for (const href of await page.locator('main a[href^="/kalendarz/"]').evaluateAll((as) => as.map((a) => a.getAttribute('href')))) {
        await h.open(page, href);
        const org = page.locator('main a[href^="/organizacje/"]');
        if ((await org.count()) > 0) {
          orgHref = await org.first().getAttribute('href');
          break;
        }
      }
      check(orgHref, 'no event of an organisation in the calendar');
      await h.open(page, orgHref);
      claimed = (await page.locator('h1').innerText()).trim();
      const html = await page.content();
      const claim = html.match(/\/panel\/organizacje\/\d+\/przejecie/);
      check(claim, `no claim link on ${orgHref}`);
      await h.open(page, claim[0]);
      await page.fill('#role', 'skarbnik');
      await page.locator('main form button[type="submit"]').click();
      await page.waitForURL(/\/panel\/organizacje$/);
    });
    {
      const page = await admin.newPage();
      await h.runOnPage(page, async () => {
        const notes = [];
        await h.approveNewest(page, claimed, notes, { axe: false });
        // An official with every scope, invited by the admin.
        await h.open(page, '/panel/admin/zaproszenia');
        await page.fill('#email', `urzednik-${stamp}@wierzbin.example`);
        for (const box of await page.locator('input[name="role"][value^="official:"]').all()) await box.check();
        await page.locator('main form button[type="submit"]').click();
        await page.waitForLoadState('load');
      });
      await page.close();
    }
    {
      // The volunteer starts an offer in the open demo call, so the crawl reaches the offer's
      // overview, its section forms and its attachments page.
      const page = await roles.volunteer.ctx.newPage();
      await h.runOnPage(page, async () => {
        await h.open(page, '/panel/oferty/nowa?konkurs=wypoczynek-letni-dzieci-i-mlodziezy');
        await page.locator('main form button[type="submit"]').click();
        await page.waitForURL(/\/panel\/oferty\/\d+$/);
      });
      await page.close();
    }
    await setUp('official', async (page) => {
      const email = `urzednik-${stamp}@wierzbin.example`;
      const password = 'hasło urzędniczki matrycy';
      await h.open(page, await h.mailLink('/konto/zaproszenie?t=', email));
      await page.fill('#name', 'Urszula Urzędniczka');
      await page.fill('#password', password);
      await page.fill('#password_confirm', password);
      await page.locator('main form button[type="submit"]').click();
      await page.waitForLoadState('load');
      if (!/\/konto\/2fa\/konfiguracja/.test(page.url())) {
        await h.open(page, '/konto/logowanie');
        await page.fill('#email', email);
        await page.fill('#password', password);
        await page.locator('main form button[type="submit"]').click();
        await page.waitForURL(/\/konto\/2fa\/konfiguracja/);
      }
      const secret = (await page.locator('dd code').first().innerText()).trim();
      await page.fill('#code', h.totp(secret));
      await page.locator('main form button[type="submit"]').click();
      await page.waitForLoadState('load');
      await h.open(page, '/panel');
    });
    return Object.keys(roles).join(', ');
  });

  // ---- crawl ----

  const keyOf = (u) => {
    const segs = u.pathname.split('/').filter(Boolean).map((s) => (/^\d+$/.test(s) ? '{n}' : s));
    const q = [...u.searchParams.entries()]
      .filter(([k]) => k !== '_csrf')
      .map(([k, v]) => `${k}=${v.length > 20 ? '{v}' : v.replace(/\d+/g, '{n}')}`)
      .sort()
      .join('&');
    return { path: `/${segs.join('/')}`, query: q };
  };
  // An "item" segment: an id or a slug made from a title (digits, long, or many hyphens).
  const isItem = (seg) => seg === '{n}' || /\d/.test(seg) || seg.length > 25 || (seg.match(/-/g) || []).length > 2;

  async function crawl(role, seeds, follow) {
    const { ctx } = roles[role];
    const seenKeys = new Set();
    const childrenOf = new Map();
    const variantsOf = new Map();
    const queue = [...seeds];
    const pages = [];
    const visited = new Set();
    while (queue.length && pages.length < MAX_PAGES_PER_ROLE) {
      const target = queue.shift();
      const u = new URL(target, state.baseUrl);
      const rel = u.pathname + u.search;
      if (visited.has(rel)) continue;
      visited.add(rel);
      const k = keyOf(u);
      const full = `${k.path}?${k.query}`;
      if (seenKeys.has(full)) continue;
      // Bounded samples: a few items per list, a few query variants per page.
      const segs = k.path.split('/').filter(Boolean);
      const last = segs[segs.length - 1] || '';
      // A second item of a list or a second query variant of a page is the same template with
      // other data: it is checked in the smoke modes only (the first one in every mode).
      let variant = false;
      if (isItem(last) && !k.query) {
        const parent = `/${segs.slice(0, -1).map((s) => (isItem(s) ? '{i}' : s)).join('/')}`;
        const n = childrenOf.get(parent) || 0;
        if (n >= MAX_ITEMS_PER_PARENT) continue;
        childrenOf.set(parent, n + 1);
        variant = n > 0;
      }
      if (k.query) {
        const n = variantsOf.get(k.path) || 0;
        if (n >= MAX_QUERY_VARIANTS) continue;
        variantsOf.set(k.path, n + 1);
        variant = n > 0;
      }
      seenKeys.add(full);
      const res = await ctx.request.get(u.href, { maxRedirects: 0, failOnStatusCode: false });
      const type = res.headers()['content-type'] || '';
      if (res.status() >= 300 && res.status() < 400) continue;
      if (!type.startsWith('text/html')) continue;
      const html = await res.text();
      pages.push({ path: rel, status: res.status(), variant });
      htmlForVnu.push({ label: `${role} GET ${rel}`, html });
      for (const m of html.matchAll(/href="([^"#]*)(#[^"]*)?"/g)) {
        const href = m[1].replace(/&amp;/g, '&');
        if (!href || /^(mailto|tel|javascript):/.test(href)) continue;
        const next = new URL(href, u.href);
        if (next.origin !== u.origin) continue;
        if (SKIP.some((re) => re.test(next.pathname + next.search))) continue;
        if (!follow(next.pathname)) continue;
        queue.push(next.pathname + next.search);
      }
    }
    return pages;
  }

  const crawlSpec = {
    visitor: { seeds: () => ['/', ...h.extraPublicPaths], follow: (p) => !p.startsWith('/panel') },
    volunteer: { seeds: () => ['/panel'], follow: (p) => p.startsWith('/panel') || p.startsWith('/konto') },
    official: { seeds: () => ['/panel'], follow: (p) => p.startsWith('/panel') || p.startsWith('/konto') },
    admin: { seeds: () => ['/panel'], follow: (p) => p.startsWith('/panel') || p.startsWith('/konto') },
  };

  for (const role of Object.keys(crawlSpec)) {
    test(`matrix ${role}: crawl every page reachable by links`, async () => {
      check(roles[role], `role ${role} was not set up`);
      const spec = crawlSpec[role];
      const pages = await crawl(role, spec.seeds(), spec.follow);
      roles[role].pages = LEVEL === 'smoke' ? pages.slice(0, SMOKE_PAGES_PER_ROLE) : pages;
      counts.pages += roles[role].pages.length;
      return `${pages.length} pages: ${pages.map((p) => p.path).join(' ')}`;
    }, { timeout: 300_000 });
  }

  // ---- checks in every mode ----

  async function setMode(ctx, mode) {
    await ctx.addCookies([
      { name: 'wsp_ts', value: mode.ts, url: state.baseUrl },
      { name: 'wsp_hc', value: mode.hc ? '1' : '0', url: state.baseUrl },
      { name: 'wsp_lang', value: mode.lang, url: state.baseUrl },
    ]);
  }

  // Page-level problems: structure, sideways scrolling outside a table's region, mid-word breaks.
  async function layoutProblems(page, mode) {
    return page.evaluate(({ width, lang }) => {
      const problems = [];
      if (document.querySelectorAll('h1').length !== 1) problems.push(`${document.querySelectorAll('h1').length} <h1>`);
      if (!document.querySelector('main#main')) problems.push('no main#main');
      if (document.documentElement.lang !== lang) problems.push(`html lang="${document.documentElement.lang}"`);
      const sw = document.documentElement.scrollWidth;
      if (sw > width) {
        const culprits = [];
        for (const el of document.body.querySelectorAll('*')) {
          if (el.closest('.table-wrap')) continue;
          const r = el.getBoundingClientRect();
          if (r.right > width + 0.5 && r.width > 0) {
            culprits.push(`${el.tagName.toLowerCase()}${el.id ? `#${el.id}` : ''}${el.classList.length ? `.${[...el.classList].join('.')}` : ''}`);
          }
        }
        problems.push(`page is ${sw} px wide at ${width} px; sticking out: ${culprits.slice(-4).join(', ') || '(inside a table region)'}`);
      }
      // Words broken in the middle (a word of up to 20 letters whose letters sit on two lines);
      // longer strings (addresses, URLs) may break, they cannot fit otherwise.
      const walker = document.createTreeWalker(document.body, NodeFilter.SHOW_TEXT);
      const broken = new Set();
      const range = document.createRange();
      for (let node = walker.nextNode(); node; node = walker.nextNode()) {
        const el = node.parentElement;
        if (!el || el.closest('.visually-hidden, script, style, .cal-long, .wd-full, option')) continue;
        const box = el.getBoundingClientRect();
        if (box.width < 2 || box.height < 2) continue;
        for (const m of node.data.matchAll(/[^\s\-\u2013\u2014\/]+/gu)) {
          // Letters only, without surrounding punctuation; addresses, file names and long words
          // (over 20 letters) may break.
          const word = m[0].replace(/^[^\p{L}]+|[^\p{L}]+$/gu, '');
          if (word.length < 4 || word.length > 20 || /[^\p{L}]/u.test(word)) continue;
          const at = m.index + m[0].indexOf(word);
          range.setStart(node, at);
          range.setEnd(node, at + word.length);
          const tops = new Set([...range.getClientRects()].filter((r) => r.width > 0).map((r) => Math.round(r.top)));
          if (tops.size > 1) broken.add(`"${word}" in ${el.tagName.toLowerCase()}${el.className ? `.${String(el.className).split(' ')[0]}` : ''}`);
        }
      }
      if (broken.size) problems.push(`words broken mid-word: ${[...broken].slice(0, 5).join(', ')}${broken.size > 5 ? ` (+${broken.size - 5})` : ''}`);
      return problems;
    }, { width: mode.width, lang: mode.lang });
  }

  async function checkPage(page, mode, where) {
    const problems = await layoutProblems(page, mode);
    const { violations } = await h.axeViolations(page);
    counts.axeRuns += 1;
    for (const v of violations) {
      problems.push(`axe ${v.id} [${v.impact}] at ${v.targets.slice(0, 2).join(' | ')}${v.targets.length > 2 ? ` (+${v.targets.length - 2})` : ''}`);
    }
    return problems.map((p) => ({ where, mode: mode.name, what: p }));
  }

  // One line per problem, naming the modes it was seen in.
  function report(problems) {
    const byWhat = new Map();
    for (const p of problems) {
      const key = `${p.where}: ${p.what}`;
      if (!byWhat.has(key)) byWhat.set(key, []);
      byWhat.get(key).push(p.mode);
    }
    const lines = [...byWhat].map(([k, modes]) => `${k} [${modes.length === modesFor().length ? 'every mode' : modes.join(', ')}]`);
    return `${lines.length} problem(s):\n${lines.join('\n')}`;
  }

  // The official (every scope) sees the same pages as the admin, who may do everything; the
  // official's copies are not scanned again, except the panel home, which differs per role.
  const pagesFor = (role) => {
    const { pages } = roles[role];
    if (role !== 'official' || !roles.admin) return pages;
    const admins = new Set(roles.admin.pages.map((p) => p.path));
    return pages.filter((p) => p.path === '/panel' || !admins.has(p.path));
  };

  const modesFor = () => (LEVEL === 'smoke' ? MODES.filter((m) => SMOKE_MODES.includes(m.name)) : MODES);
  // Whether a page (or a form on it) is checked in `mode`: variants in the smoke modes only.
  const inMode = (p, mode) => !p.variant || SMOKE_MODES.includes(mode.name);

  for (const role of Object.keys(crawlSpec)) {
    test(`matrix ${role}: every page in every mode (axe of any impact, reflow, structure)`, async () => {
      const { ctx } = roles[role];
      const pages = pagesFor(role);
      check(pages.length > 0, `no pages crawled for ${role}`);
      // Every (mode, page) pair, in mode order; `LANES` browser contexts of the same signed-in
      // role take the next pair in turn (pages only read here, so their order does not matter).
      const queue = [];
      for (const mode of modesFor()) for (const p of pages) if (inMode(p, mode)) queue.push({ mode, p });
      const lanes = [ctx];
      for (let l = 1; l < LANES; l += 1) {
        lanes.push(await h.newContext({ preloadAxe: true, bypassCSP: true, storageState: await ctx.storageState() }));
      }
      const problems = [];
      const work = async (laneCtx) => {
        const page = await laneCtx.newPage();
        let current = null;
        try {
          for (let item = queue.shift(); item; item = queue.shift()) {
            const { mode, p } = item;
            if (mode !== current) {
              await setMode(laneCtx, mode);
              await page.setViewportSize({ width: mode.width, height: 800 });
              current = mode;
            }
            const res = await page.goto(h.url(p.path), { waitUntil: 'load' });
            counts.loads += 1;
            if (!res || res.status() !== p.status) {
              problems.push({ where: p.path, mode: mode.name, what: `HTTP ${res && res.status()} (crawled as ${p.status})` });
              continue;
            }
            problems.push(...(await checkPage(page, mode, p.path)));
          }
        } finally {
          await page.close().catch(() => {});
          if (laneCtx === ctx) await setMode(ctx, MODES[0]);
          else await laneCtx.close().catch(() => {});
        }
      };
      await Promise.all(lanes.map(work));
      check(problems.length === 0, report(problems));
      const variants = pages.filter((p) => p.variant).length;
      return `${pages.length - variants} pages × ${modesFor().length} modes, ${variants} variants × ${modesFor().filter((m) => SMOKE_MODES.includes(m.name)).length} modes, ${LANES} lanes`;
    }, { timeout: 1_200_000 });
  }

  // ---- forms re-rendered with errors ----

  // Empties the n-th candidate form of the page and submits it; returns the response.
  async function submitEmptied(page, index) {
    const form = page.locator('main form[method="post"]').nth(index);
    await form.evaluate((f) => {
      // A form folded in a closed <details> is opened, as a person would before using it.
      for (let d = f.closest('details'); d; d = d.parentElement?.closest('details')) d.open = true;
      for (const el of f.querySelectorAll('input, textarea')) {
        const t = (el.getAttribute('type') || 'text').toLowerCase();
        if (['hidden', 'submit', 'button', 'radio', 'file'].includes(t)) continue;
        if (t === 'checkbox') el.checked = false;
        else el.value = '';
      }
    });
    const nav = page.waitForResponse((r) => r.request().isNavigationRequest() && r.frame() === page.mainFrame());
    await form.locator('button[type="submit"], input[type="submit"]').first().click();
    const res = await nav;
    await page.waitForLoadState('load');
    return res;
  }

  async function candidateForms(page) {
    return page.locator('main form[method="post"]').evaluateAll((forms, skip) =>
      forms.map((f, i) => {
        const action = f.getAttribute('action') || '';
        const fields = f.querySelectorAll('input:not([type=hidden]):not([type=submit]):not([type=button]):not([type=radio]):not([type=checkbox]):not([type=file]), textarea');
        return { i, action, ok: fields.length > 0 && !new RegExp(skip).test(action) && !!f.querySelector('button[type=submit], input[type=submit]') };
      }).filter((f) => f.ok), SKIP_FORM_ACTION.source);
  }

  // The GOV.UK rules on a page re-rendered with errors.
  async function errorPageProblems(page, lang) {
    return page.evaluate((lang) => {
      const problems = [];
      const prefix = lang === 'en' ? 'Error:' : 'Błąd:';
      if (!document.title.startsWith(prefix)) problems.push(`title "${document.title}" does not start with "${prefix}"`);
      const summary = document.querySelector('.error-summary');
      if (!summary) return ['no error summary'];
      if (document.activeElement !== summary && !summary.contains(document.activeElement)) problems.push('focus is not on the error summary');
      const links = [...summary.querySelectorAll('a[href^="#"]')];
      if (!links.length) problems.push('the summary links to no field');
      const texts = new Set();
      let lastPos = null;
      for (const a of links) {
        const id = decodeURIComponent(a.getAttribute('href').slice(1));
        const target = document.getElementById(id);
        const text = a.textContent.trim();
        if (texts.has(text)) problems.push(`two messages read "${text}"`);
        texts.add(text);
        if (!target) {
          problems.push(`summary link #${id} lands on nothing`);
          continue;
        }
        if (lastPos && lastPos.compareDocumentPosition(target) & Node.DOCUMENT_POSITION_PRECEDING) problems.push(`summary order: #${id} comes before the previous field`);
        lastPos = target;
        const holder = target.closest('fieldset[aria-describedby]') || target;
        const described = (holder.getAttribute('aria-describedby') || '') + ' ' + (target.getAttribute('aria-describedby') || '');
        const linked = described.split(/\s+/).filter(Boolean).map((d) => document.getElementById(d)).filter(Boolean);
        if (!linked.some((el) => el.textContent.includes(text))) problems.push(`#${id} is not described by its message "${text}"`);
      }
      return problems;
    }, lang);
  }

  for (const role of Object.keys(crawlSpec)) {
    test(`matrix ${role}: forms submitted empty re-render with errors, checked in the form modes`, async () => {
      const { ctx } = roles[role];
      const pages = pagesFor(role);
      const page = await ctx.newPage();
      const problems = [];
      const found = [];
      const accepted = [];
      try {
        await setMode(ctx, MODES[0]);
        for (const p of pages) {
          if (p.status !== 200) continue;
          await page.goto(h.url(p.path), { waitUntil: 'load' });
          for (const f of await candidateForms(page)) {
            found.push({ path: p.path, variant: p.variant, ...f });
          }
        }
        for (const mode of modesFor().filter((m) => FORM_MODES.includes(m.name))) {
          await setMode(ctx, mode);
          await page.setViewportSize({ width: mode.width, height: 800 });
          for (const f of found) {
            if (f.accepted || !inMode(f, mode)) continue;
            await page.goto(h.url(f.path), { waitUntil: 'load' });
            // The same form (by its address) on the page as loaded now; `i` counts every POST form.
            const now = (await candidateForms(page)).find((c) => c.action === f.action);
            if (!now) {
              problems.push({ where: `${f.path} → POST ${f.action}`, mode: mode.name, what: 'the form is gone' });
              continue;
            }
            const res = await submitEmptied(page, now.i);
            counts.loads += 1;
            const where = `${f.path} → POST ${f.action}`;
            if ((await page.locator('.error-summary').count()) === 0) {
              f.accepted = true;
              accepted.push(`${where} (HTTP ${res.status()}, now at ${new URL(page.url()).pathname})`);
              continue;
            }
            const at = (what) => ({ where, mode: mode.name, what });
            if (res.status() >= 500) problems.push(at(`HTTP ${res.status()}`));
            if (new URL(page.url()).search.includes('_csrf')) problems.push(at('the address bar shows ?_csrf='));
            if (mode === MODES[0]) {
              counts.errorPages += 1;
              htmlForVnu.push({ label: `${role} ${where} (errors)`, html: await res.text() });
            }
            problems.push(...(await errorPageProblems(page, mode.lang)).map(at));
            problems.push(...(await checkPage(page, mode, where)));
          }
        }
      } finally {
        await setMode(ctx, MODES[0]);
        await page.close().catch(() => {});
      }
      const acceptedNote = accepted.length ? `accepted when emptied (no error summary): ${accepted.join('; ')}` : '';
      check(problems.length === 0, `${report(problems)}${acceptedNote ? `\n${acceptedNote}` : ''}`);
      const n = found.filter((f) => !f.accepted).length;
      return `${n} form(s) re-rendered with errors${acceptedNote ? `; ${acceptedNote}` : ''}`;
    }, { timeout: 1_200_000 });
  }

  // ---- screenshots to look at (E2E_SCREENSHOTS=<dir>) ----

  if (process.env.E2E_SCREENSHOTS) {
    test('matrix: screenshots (panel home of each role, a table page at 320 px, English content)', async () => {
      const dir = path.resolve(process.env.E2E_SCREENSHOTS);
      fs.mkdirSync(dir, { recursive: true });
      const shots = [
        ['volunteer', '/panel', MODES[0], 'panel-volunteer.png'],
        ['official', '/panel', MODES[0], 'panel-official.png'],
        ['admin', '/panel', MODES[0], 'panel-admin.png'],
        ['official', '/panel/katalog', MODES[3], 'katalog-320.png'],
        ['admin', '/panel/admin/uzytkownicy', MODES[5], 'users-320-largest.png'],
        ['visitor', (roles.visitor.pages.find((p) => /^\/kalendarz\/[^?]+$/.test(p.path)) || { path: '/' }).path, MODES[6], 'event-english.png'],
        ['visitor', (roles.visitor.pages.find((p) => /^\/organizacje\/[^?]+$/.test(p.path)) || { path: '/' }).path, MODES[6], 'organisation-english.png'],
        ['visitor', '/', MODES[5], 'home-320-largest.png'],
      ];
      for (const [role, where, mode, file] of shots) {
        const { ctx } = roles[role];
        await setMode(ctx, mode);
        const page = await ctx.newPage();
        await page.setViewportSize({ width: mode.width, height: 900 });
        await page.goto(h.url(where), { waitUntil: 'load' });
        await page.screenshot({ path: path.join(dir, file), fullPage: true });
        await page.close();
      }
      await Promise.all(Object.values(roles).map((r) => setMode(r.ctx, MODES[0])));
      return `${shots.length} screenshots in ${dir}`;
    });
  }

  // ---- the Nu HTML Checker ----

  test('matrix: the Nu HTML Checker finds no error in any page or error page', async () => {
    check(htmlForVnu.length > 0, 'no pages collected');
    const java = spawnSync('java', ['-version'], { encoding: 'utf8' });
    if (java.error || java.status !== 0) throw new Failure('java is required for the Nu HTML Checker (apt-get install default-jre-headless)');
    const jar = String(require('vnu-jar'));
    const dir = path.join(state.tmpDir, 'vnu');
    fs.mkdirSync(dir, { recursive: true });
    const labels = new Map();
    htmlForVnu.forEach((p, i) => {
      const file = path.join(dir, `page-${String(i).padStart(4, '0')}.html`);
      fs.writeFileSync(file, p.html);
      labels.set(`file:${file}`, p.label);
    });
    const out = spawnSync('java', ['-Xss2m', '-jar', jar, '--errors-only', '--format', 'json', '--exit-zero-always', dir], { encoding: 'utf8', maxBuffer: 64 * 1024 * 1024 });
    check(out.status === 0, `vnu failed: ${out.stderr.slice(0, 500)}`);
    const messages = JSON.parse(out.stderr || out.stdout || '{"messages":[]}').messages || [];
    const errors = messages.filter((m) => m.type === 'error');
    const lines = errors.map((m) => `${labels.get(m.url) || m.url} line ${m.lastLine}: ${m.message} — ${String(m.extract || '').replace(/\s+/g, ' ').slice(0, 120)}`);
    check(errors.length === 0, `${errors.length} HTML error(s):\n${[...new Set(lines)].join('\n')}`);
    return `${htmlForVnu.length} documents valid; in all: ${counts.pages} pages, ${counts.errorPages} error pages, ${counts.loads} page loads, ${counts.axeRuns} axe runs`;
  }, { timeout: 600_000 });
}
