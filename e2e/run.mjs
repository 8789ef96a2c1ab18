#!/usr/bin/env node
// Browser end-to-end and accessibility suite for Wspólnie.
//
// Starts `wspolnie serve --demo` on a free loopback port with a fresh data
// directory, drives Debian's Chromium through playwright-core, scans pages
// with axe-core and checks the accessibility preferences, language switch,
// CSRF protection and health endpoints. See README.md.
//
// Environment:
//   WSPOLNIE_BIN       server binary (default ../target/debug/wspolnie)
//   E2E_DATABASE_URL   passed to the server as DATABASE_URL (default: none)
//   E2E_CHROMIUM       browser executable (default /usr/bin/chromium)
//   E2E_FILTER         only run tests whose name contains this text
//   E2E_KEEP_TMP=1     keep the temp directory (server log, screenshots)
//   E2E_EXTRA_ARGS     more Chromium switches, space-separated (for measuring)
//   E2E_MATRIX         full (default) | smoke | off — see matrix.mjs
//   E2E_LANES          browser contexts per role in the matrix (default 2)

import { spawn, spawnSync } from 'node:child_process';
import crypto from 'node:crypto';
import { createRequire } from 'node:module';
import fs from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { chromium } from 'playwright-core';
import { registerMatrix } from './matrix.mjs';
import { registerGrants } from './grants.mjs';
import { registerConsultations } from './consultations.mjs';
import { registerProgramme } from './programme.mjs';

const require = createRequire(import.meta.url);
const HERE = path.dirname(fileURLToPath(import.meta.url));
const AXE_PATH = require.resolve('axe-core/axe.min.js');

const SERVER_BIN = path.resolve(HERE, process.env.WSPOLNIE_BIN || '../target/debug/wspolnie');
const BROWSER_BIN = process.env.E2E_CHROMIUM || '/usr/bin/chromium';
const FILTER = process.env.E2E_FILTER || '';
// The full matrix (matrix.mjs) scans every page in every mode; the per-page mode checks below
// then only run in the smoke run on the second database.
const FULL_MATRIX = (process.env.E2E_MATRIX || 'full') === 'full';
const HEALTH_TIMEOUT_MS = 60_000;
const TEST_TIMEOUT_MS = 90_000;
const ACTION_TIMEOUT_MS = 15_000;

const BROWSER_ARGS = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  '--no-proxy-server',
  '--disable-dev-shm-usage',
  '--host-resolver-rules=MAP * ~NOTFOUND, EXCLUDE localhost, EXCLUDE 127.0.0.1',
  ...(process.env.E2E_EXTRA_ARGS || '').split(' ').filter(Boolean),
];

const AXE_TAGS = ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa'];
// Every impact fails: the accessibility law allows none (issue 16).
const BLOCKING_IMPACTS = new Set(['minor', 'moderate', 'serious', 'critical']);

// ---------------------------------------------------------------------------
// Small helpers

class Failure extends Error {}

function check(condition, message) {
  if (!condition) throw new Failure(message);
}

function sleep(ms) {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

function withTimeout(promise, ms, what) {
  let timer;
  const timeout = new Promise((_, reject) => {
    timer = setTimeout(() => reject(new Failure(`${what} timed out after ${ms / 1000} s`)), ms);
  });
  return Promise.race([promise, timeout]).finally(() => clearTimeout(timer));
}

function once(fn) {
  let cached;
  return () => (cached ??= fn());
}

function freePort() {
  return new Promise((resolve, reject) => {
    const srv = net.createServer();
    srv.unref();
    srv.on('error', reject);
    srv.listen(0, '127.0.0.1', () => {
      const { port } = srv.address();
      srv.close(() => resolve(port));
    });
  });
}

function describeError(err) {
  if (err instanceof Failure) return err.message;
  // Playwright errors carry a long call log; the first lines say enough.
  const text = String(err && err.stack ? err.message : err);
  return text.split('\n').filter((l) => l.trim()).slice(0, 6).join('\n');
}

function indent(text, prefix = '       ') {
  return text.split('\n').map((l) => prefix + l).join('\n');
}

// ---------------------------------------------------------------------------
// Server process

const state = {
  tmpDir: null,
  logPath: null,
  server: null,
  serverExit: null,
  baseUrl: null,
  dataDir: null,
  browser: null,
};

async function startServer() {
  if (!fs.existsSync(SERVER_BIN)) {
    throw new Failure(
      `server binary not found: ${SERVER_BIN}\n` +
        'build it first (cargo build -p wspolnie) or set WSPOLNIE_BIN',
    );
  }
  state.tmpDir = fs.mkdtempSync(path.join(os.tmpdir(), 'wspolnie-e2e-'));
  state.logPath = path.join(state.tmpDir, 'server.log');
  const dataDir = path.join(state.tmpDir, 'data');
  fs.mkdirSync(dataDir);
  state.dataDir = dataDir;

  const port = await freePort();
  const listen = `127.0.0.1:${port}`;
  state.baseUrl = `http://${listen}`;

  const env = { NO_COLOR: '1', ...process.env, WSPOLNIE__DATA_DIR: dataDir, WSPOLNIE__SERVER__LISTEN: listen };
  state.serverEnv = env;
  delete env.DATABASE_URL;
  if (process.env.E2E_DATABASE_URL) env.DATABASE_URL = process.env.E2E_DATABASE_URL;

  const logFd = fs.openSync(state.logPath, 'a');
  console.log(`# server: ${SERVER_BIN} serve --demo on ${state.baseUrl}`);
  console.log(`# data dir: ${dataDir}${env.DATABASE_URL ? ' (DATABASE_URL from E2E_DATABASE_URL)' : ''}`);
  const child = spawn(SERVER_BIN, ['serve', '--demo'], {
    env,
    cwd: state.tmpDir,
    stdio: ['ignore', logFd, logFd],
  });
  fs.closeSync(logFd);
  state.server = child;
  state.serverExit = new Promise((resolve) => {
    child.on('exit', (code, signal) => resolve({ code, signal }));
    child.on('error', (err) => resolve({ code: null, signal: null, error: err }));
  });

  const started = Date.now();
  let lastProblem = 'no answer yet';
  while (Date.now() - started < HEALTH_TIMEOUT_MS) {
    const exited = await Promise.race([state.serverExit, sleep(0).then(() => null)]);
    if (exited) {
      state.server = null;
      const how = exited.error ? exited.error.message : `code ${exited.code}, signal ${exited.signal}`;
      throw new Failure(`server exited before it was healthy (${how})`);
    }
    try {
      const res = await fetch(`${state.baseUrl}/healthz`, { signal: AbortSignal.timeout(2000) });
      if (res.status === 200) {
        console.log(`# server healthy after ${((Date.now() - started) / 1000).toFixed(1)} s`);
        return;
      }
      lastProblem = `GET /healthz answered ${res.status}`;
    } catch (err) {
      lastProblem = err.cause ? String(err.cause.code || err.cause.message) : err.message;
    }
    await sleep(250);
  }
  throw new Failure(`server not healthy within ${HEALTH_TIMEOUT_MS / 1000} s (${lastProblem})`);
}

async function stopServer() {
  const child = state.server;
  if (!child) return;
  state.server = null;
  if (child.exitCode !== null || child.signalCode !== null) return;
  child.kill('SIGTERM');
  const exited = await Promise.race([state.serverExit, sleep(10_000).then(() => null)]);
  if (!exited) {
    console.log('# server ignored SIGTERM for 10 s, sending SIGKILL');
    child.kill('SIGKILL');
    await state.serverExit;
  }
}

function printServerLog(maxLines = 200) {
  if (!state.logPath || !fs.existsSync(state.logPath)) return;
  // eslint-disable-next-line no-control-regex
  const lines = fs.readFileSync(state.logPath, 'utf8').replace(/\x1b\[[0-9;]*m/g, '').split('\n');
  const shown = lines.slice(-maxLines);
  console.log(`\n# ---- server log (${state.logPath}, last ${shown.length} of ${lines.length} lines) ----`);
  console.log(shown.join('\n'));
  console.log('# ---- end of server log ----');
}

// Last-resort cleanup when the runner itself is interrupted.
process.on('exit', () => {
  if (state.server) state.server.kill('SIGTERM');
});
for (const sig of ['SIGINT', 'SIGTERM']) {
  process.on(sig, async () => {
    console.log(`# ${sig}: stopping`);
    await stopServer().catch(() => {});
    process.exit(130);
  });
}

// ---------------------------------------------------------------------------
// Tiny test runner

const tests = [];
function test(name, fn, { timeout = TEST_TIMEOUT_MS } = {}) {
  tests.push({ name, fn, timeout });
}

async function runTests() {
  // E2E_FILTER may name several parts of names, separated by |.
  const selected = tests.filter((t) => !FILTER || FILTER.split('|').some((f) => t.name.includes(f)));
  let passed = 0;
  let failed = 0;
  const failures = [];
  for (const [i, t] of selected.entries()) {
    const label = `${String(i + 1).padStart(3)} ${t.name}`;
    const started = Date.now();
    try {
      const note = await withTimeout(Promise.resolve().then(t.fn), t.timeout, 'test');
      passed += 1;
      const ms = Date.now() - started;
      console.log(`ok   ${label} (${ms} ms)${note ? `\n${indent(String(note), '       # ')}` : ''}`);
    } catch (err) {
      failed += 1;
      const reason = describeError(err);
      failures.push({ name: t.name, reason });
      console.log(`FAIL ${label}\n${indent(reason)}`);
    }
  }
  return { passed, failed, failures, total: selected.length };
}

// ---------------------------------------------------------------------------
// Browser helpers

const url = (p) => new URL(p, state.baseUrl).href;

// `preloadAxe`: axe-core is evaluated in every document of the context as it opens (an init
// script), instead of being injected before each check — a third of a check's time when every
// page is checked (the matrix).
async function newContext({ preloadAxe = false, ...options } = {}) {
  const ctx = await state.browser.newContext({
    viewport: { width: 1280, height: 900 },
    locale: 'pl-PL',
    ...options,
  });
  if (preloadAxe) await ctx.addInitScript({ path: AXE_PATH });
  ctx.setDefaultTimeout(ACTION_TIMEOUT_MS);
  ctx.setDefaultNavigationTimeout(30_000);
  return ctx;
}

// On failure, keeps a screenshot of the page in the temp dir and names it in
// the reason.
let screenshotCount = 0;
async function runOnPage(page, fn) {
  try {
    return await fn(page);
  } catch (err) {
    screenshotCount += 1;
    const file = path.join(state.tmpDir, `failure-${String(screenshotCount).padStart(2, '0')}.png`);
    const saved = await page.screenshot({ path: file, fullPage: true, timeout: 5000 }).then(() => true, () => false);
    if (saved) {
      const note = `(screenshot of ${page.url()}: ${file})`;
      if (err instanceof Failure) err.message += `\n${note}`;
      else err = new Failure(`${describeError(err)}\n${note}`);
    }
    throw err;
  }
}

// Runs fn with a fresh context and page, closing the context afterwards.
async function withPage(options, fn) {
  const ctx = await newContext(options);
  try {
    const page = await ctx.newPage();
    return await runOnPage(page, fn);
  } finally {
    await ctx.close().catch(() => {});
  }
}

async function open(page, target, expectStatus = 200) {
  const res = await page.goto(url(target), { waitUntil: 'load' });
  check(res, `no response for ${target}`);
  check(
    res.status() === expectStatus,
    `GET ${target} answered HTTP ${res.status()}, expected ${expectStatus}`,
  );
  return res;
}

async function htmlClasses(page) {
  return (await page.locator('html').getAttribute('class')) || '';
}

async function expectHtmlClass(page, cls, present = true) {
  const classes = (await htmlClasses(page)).split(/\s+/).filter(Boolean);
  check(
    classes.includes(cls) === present,
    `<html class="${classes.join(' ')}"> should ${present ? '' : 'not '}contain "${cls}" (on ${new URL(page.url()).pathname})`,
  );
}

// Clicks a submit button and waits for the POST/redirect/GET round trip.
async function submitWith(page, locator, what) {
  const count = await locator.count();
  check(count > 0, `no ${what} found on ${new URL(page.url()).pathname}`);
  const button = locator.first();
  const post = page
    .waitForResponse((r) => r.request().method() === 'POST' && r.frame() === page.mainFrame(), { timeout: ACTION_TIMEOUT_MS })
    .catch(() => null);
  const navigated = page.waitForNavigation({ waitUntil: 'load', timeout: ACTION_TIMEOUT_MS });
  await button.click();
  try {
    await navigated;
  } catch {
    throw new Failure(`clicking ${what} did not load a new page within ${ACTION_TIMEOUT_MS / 1000} s`);
  }
  const res = await post;
  check(res, `clicking ${what} did not send a POST`);
  check(res.status() < 400, `POST ${new URL(res.url()).pathname} (${what}) answered HTTP ${res.status()}`);
  return res;
}

const appearanceForm = 'form[action="/ustawienia/wyglad"]';
const languageForm = 'form[action="/ustawienia/jezyk"]';

function appearanceButton(page, name, value) {
  // Prefer the header copy of the form; fall back to any copy on the page.
  const inHeader = page.locator(`header ${appearanceForm} button[name="${name}"][value="${value}"]`);
  const anywhere = page.locator(`${appearanceForm} button[name="${name}"][value="${value}"]`);
  return inHeader.or(anywhere);
}

// ---------------------------------------------------------------------------
// axe-core

async function axeViolations(page) {
  if (!(await page.evaluate(() => typeof window.axe === 'object'))) await page.addScriptTag({ path: AXE_PATH });
  return page.evaluate(async (tags) => {
    const result = await window.axe.run(document, {
      runOnly: { type: 'tag', values: tags },
      resultTypes: ['violations', 'incomplete'],
    });
    const needsReview = result.incomplete.map((v) => `${v.id} x${v.nodes.length}`);
    const violations = result.violations.map((v) => ({
      id: v.id,
      impact: v.impact,
      help: v.help,
      targets: v.nodes.map((n) => n.target.map((t) => (Array.isArray(t) ? t.join(' >>> ') : t)).join(' >>> ')),
    }));
    return { violations, needsReview };
  }, AXE_TAGS);
}

async function axeCheck(page) {
  const { violations, needsReview } = await axeViolations(page);
  const blocking = violations.filter((v) => BLOCKING_IMPACTS.has(v.impact));
  const minor = violations.filter((v) => !BLOCKING_IMPACTS.has(v.impact));
  if (blocking.length) {
    const lines = blocking.map((v) => {
      const shown = v.targets.slice(0, 3).join(' | ');
      const more = v.targets.length > 3 ? ` (+${v.targets.length - 3} more)` : '';
      return `axe ${v.id} [${v.impact}]: ${v.help}\n  at ${shown}${more}`;
    });
    throw new Failure(lines.join('\n'));
  }
  const notes = [];
  if (minor.length) {
    notes.push(`non-blocking axe findings: ${minor.map((v) => `${v.id} [${v.impact}] x${v.targets.length}`).join(', ')}`);
  }
  if (needsReview.length) notes.push(`axe needs manual review: ${needsReview.join(', ')}`);
  return notes.join('\n');
}

// ---------------------------------------------------------------------------
// Shared contexts for the appearance modes, created on first use.

async function contextWithPreference(name, value, cls) {
  const ctx = await newContext({ bypassCSP: true });
  const page = await ctx.newPage();
  try {
    await open(page, '/');
    await submitWith(page, appearanceButton(page, name, value), `button[name=${name}][value=${value}]`);
    await expectHtmlClass(page, cls);
  } finally {
    await page.close();
  }
  return ctx;
}

const contexts = {
  plain: once(() => newContext({ bypassCSP: true })),
  highContrast: once(() => contextWithPreference('contrast', 'high', 'hc')),
  largestText: once(() => contextWithPreference('text_size', 'larger', 'ts-larger')),
  narrow: once(() => newContext({ bypassCSP: true, viewport: { width: 320, height: 640 } })),
};

async function inShared(which, fn) {
  const ctx = await contexts[which]();
  const page = await ctx.newPage();
  try {
    return await runOnPage(page, fn);
  } finally {
    await page.close().catch(() => {});
  }
}

// ---------------------------------------------------------------------------
// Pages under test

// Follows the first link inside <main> whose href starts with `prefix`.
function firstLinkFrom(listPath, prefix) {
  return once(() =>
    inShared('plain', async (page) => {
      await open(page, listPath);
      const hrefs = await page
        .locator(`main a[href^="${prefix}"]`)
        .evaluateAll((links) => links.map((a) => a.getAttribute('href')));
      const href = hrefs.find((h) => h.split(/[?#]/)[0] !== prefix);
      check(href, `no link main a[href^="${prefix}"] on ${listPath}`);
      return href;
    }),
  );
}

const PAGES = [
  { label: '/', path: '/' },
  { label: '/organizacje', path: '/organizacje' },
  { label: '/organizacje?q=zwiazek', path: '/organizacje?q=zwiazek' },
  { label: 'first organisation', path: firstLinkFrom('/organizacje', '/organizacje/') },
  { label: '/aktualnosci', path: '/aktualnosci' },
  { label: 'first article', path: firstLinkFrom('/aktualnosci', '/aktualnosci/') },
  { label: '/kalendarz', path: '/kalendarz' },
  { label: '/kalendarz?widok=miesiac', path: '/kalendarz?widok=miesiac' },
  { label: '/kalendarz?widok=tydzien', path: '/kalendarz?widok=tydzien' },
  { label: 'first event', path: firstLinkFrom('/kalendarz', '/kalendarz/') },
  { label: '/kontakt', path: '/kontakt' },
  { label: '/dostepnosc', path: '/dostepnosc' },
  { label: '/strony/jak-korzystac', path: '/strony/jak-korzystac' },
  { label: '/strony/poradniki', path: '/strony/poradniki' },
  { label: '/wspolpraca/promocja', path: '/wspolpraca/promocja' },
  { label: '/wspolpraca', path: '/wspolpraca' },
  { label: '/spotkania', path: '/spotkania' },
  { label: 'first meeting', path: firstLinkFrom('/spotkania', '/spotkania/') },
  { label: 'first partner activity', path: firstLinkFrom('/wspolpraca', '/wspolpraca/') },
  { label: '/aktualnosci?rodzaj=relacje', path: '/aktualnosci?rodzaj=relacje' },
  { label: '/ustawienia', path: '/ustawienia' },
  { label: '/prywatnosc', path: '/prywatnosc' },
  { label: '/otwarte-dane', path: '/otwarte-dane' },
  { label: '/newsletter', path: '/newsletter' },
  { label: '/konto/logowanie', path: '/konto/logowanie' },
  { label: '/konto/rejestracja', path: '/konto/rejestracja' },
  { label: '/konto/reset-hasla', path: '/konto/reset-hasla' },
  { label: '/nie-ma-takiej-strony', path: '/nie-ma-takiej-strony', status: 404 },
];

async function resolvePath(entry) {
  return typeof entry.path === 'function' ? entry.path() : entry.path;
}

async function structureProblems(page) {
  return page.evaluate(() => {
    const problems = [];
    const h1s = document.querySelectorAll('h1');
    if (h1s.length !== 1) problems.push(`expected exactly one <h1>, found ${h1s.length}`);
    const lang = document.documentElement.getAttribute('lang');
    if (lang !== 'pl') problems.push(`<html lang="${lang}">, expected "pl"`);
    const mains = document.querySelectorAll('main');
    if (!document.querySelector('main#main')) problems.push('no <main id="main">');
    if (mains.length > 1) problems.push(`${mains.length} <main> elements`);
    // header/footer only act as banner/contentinfo outside sectioning content.
    const sectioning = 'article, aside, main, nav, section';
    const top = (tag) => [...document.querySelectorAll(tag)].some((el) => !el.parentElement.closest(sectioning));
    if (!top('header')) problems.push('no page-level <header> (banner landmark)');
    if (!top('footer')) problems.push('no page-level <footer> (contentinfo landmark)');
    return problems;
  });
}

async function resultCount(page) {
  const el = page.locator('[data-result-count]').first();
  check((await el.count()) > 0, `no [data-result-count] on ${new URL(page.url()).pathname + new URL(page.url()).search}`);
  const attr = await el.getAttribute('data-result-count');
  const text = /^\d+$/.test(attr || '') ? attr : await el.innerText();
  const m = text.match(/\d+/);
  check(m, `[data-result-count] has no number: "${text}"`);
  return Number(m[0]);
}

for (const entry of PAGES) {
  const expectStatus = entry.status ?? 200;
  const name = (what) => `page ${entry.label}: ${what}`;

  test(name('structure (one h1, lang=pl, main#main, header, footer)'), async () => {
    const target = await resolvePath(entry);
    return inShared('plain', async (page) => {
      await open(page, target, expectStatus);
      const problems = await structureProblems(page);
      check(problems.length === 0, problems.join('\n'));
      return target !== entry.label ? `url ${target}` : '';
    });
  });

  test(name('images, styles and scripts load'), async () => {
    const target = await resolvePath(entry);
    return inShared('plain', async (page) => {
      const broken = [];
      const kinds = new Set(['image', 'stylesheet', 'script', 'font', 'media']);
      const origin = new URL(state.baseUrl).origin;
      page.on('response', (r) => {
        const req = r.request();
        if (kinds.has(req.resourceType()) && r.status() >= 400) broken.push(`${req.resourceType()} ${r.url().replace(origin, '')} (HTTP ${r.status()})`);
      });
      page.on('requestfailed', (req) => {
        if (kinds.has(req.resourceType())) broken.push(`${req.resourceType()} ${req.url().replace(origin, '')} (${req.failure()?.errorText})`);
      });
      await open(page, target, expectStatus);
      await page.waitForLoadState('networkidle', { timeout: 5000 }).catch(() => {});
      check(broken.length === 0, `broken subresources:\n${[...new Set(broken)].join('\n')}`);
    });
  });

  if (entry.path === '/organizacje?q=zwiazek') {
    test(name('shows a result named "Związek"'), async () =>
      inShared('plain', async (page) => {
        await open(page, entry.path);
        const names = await page.locator('main a[href^="/organizacje/"]').allInnerTexts();
        const hit = names.find((n) => n.toLocaleLowerCase('pl').includes('związek'));
        check(hit, `no result link containing "Związek"; result links: ${JSON.stringify(names.slice(0, 10))}`);
        const n = await resultCount(page);
        check(n >= 1, `[data-result-count] says ${n}`);
        return `${n} result(s), e.g. "${hit.trim()}"`;
      }),
    );
  }

  if (!FULL_MATRIX) test(name('axe (default)'), async () => {
    const target = await resolvePath(entry);
    return inShared('plain', async (page) => {
      await open(page, target, expectStatus);
      return axeCheck(page);
    });
  });

  if (!FULL_MATRIX) test(name('axe (high contrast)'), async () => {
    const target = await resolvePath(entry);
    return inShared('highContrast', async (page) => {
      await open(page, target, expectStatus);
      await expectHtmlClass(page, 'hc');
      return axeCheck(page);
    });
  });

  if (!FULL_MATRIX) test(name('axe (largest text)'), async () => {
    const target = await resolvePath(entry);
    return inShared('largestText', async (page) => {
      await open(page, target, expectStatus);
      await expectHtmlClass(page, 'ts-larger');
      return axeCheck(page);
    });
  });

  if (!FULL_MATRIX) test(name('no horizontal scroll at 320 px'), async () => {
    const target = await resolvePath(entry);
    return inShared('narrow', async (page) => {
      await open(page, target, expectStatus);
      const info = await page.evaluate(() => {
        const width = document.documentElement.scrollWidth;
        const culprits = [];
        if (width > 320) {
          for (const el of document.body.querySelectorAll('*')) {
            const r = el.getBoundingClientRect();
            if (r.right > 320.5 && r.width > 0) {
              const id = el.id ? `#${el.id}` : '';
              const cls = el.classList.length ? `.${[...el.classList].join('.')}` : '';
              culprits.push(`${el.tagName.toLowerCase()}${id}${cls} (right edge ${Math.round(r.right)} px)`);
            }
          }
        }
        return { width, culprits };
      });
      check(
        info.width <= 320,
        `scrollWidth ${info.width} > 320; overflowing: ${info.culprits.slice(-5).join(', ') || '(unknown)'}`,
      );
    });
  });
}

// ---------------------------------------------------------------------------
// Behaviour

test('skip link is the first Tab stop and moves focus to main#main', () =>
  withPage({}, async (page) => {
    await open(page, '/');
    await page.keyboard.press('Tab');
    const first = await page.evaluate(() => {
      const el = document.activeElement;
      return {
        tag: el ? el.tagName.toLowerCase() : null,
        skip: !!el && el.matches('a.skip-link'),
        href: el ? el.getAttribute('href') : null,
        text: el ? el.textContent.trim() : '',
      };
    });
    check(
      first.skip && first.href === '#main',
      `first Tab focused <${first.tag} href="${first.href}">${first.text}</${first.tag}>, expected a.skip-link[href="#main"]`,
    );
    await page.keyboard.press('Enter');
    await page.waitForTimeout(100);
    const after = await page.evaluate(() => ({
      inMain: !!document.activeElement && !!document.activeElement.closest('main#main'),
      hash: location.hash,
      tag: document.activeElement ? document.activeElement.tagName.toLowerCase() : null,
    }));
    check(after.inMain || after.hash === '#main', `after Enter focus is on <${after.tag}>, hash "${after.hash}"`);
    return `skip link text: "${first.text}"`;
  }),
);

test('text size switch in the header (A/A/A) persists via cookie', () =>
  withPage({}, async (page) => {
    await open(page, '/');
    const form = page.locator(`header ${appearanceForm}`);
    check((await form.count()) > 0, `no <header> ${appearanceForm}`);
    const method = await form.first().evaluate((f) => f.method);
    check(method === 'post', `appearance form method is "${method}", expected post`);
    const names = [];
    for (const value of ['normal', 'large', 'larger']) {
      const b = form.first().locator(`button[name="text_size"][value="${value}"]`);
      check((await b.count()) === 1, `header form has ${await b.count()} button[name=text_size][value=${value}]`);
      const type = await b.evaluate((el) => el.type);
      check(type === 'submit', `text_size=${value} button has type "${type}"`);
      const snapshot = await b.ariaSnapshot();
      const m = snapshot.match(/^- button "((?:[^"\\]|\\.)*)"/m);
      const accName = m ? m[1] : '';
      check(accName.trim().length > 1, `text_size=${value} button has no real accessible name (aria: ${snapshot.trim()})`);
      names.push(accName);
    }
    check(new Set(names).size === 3, `text size buttons share accessible names: ${JSON.stringify(names)}`);

    await submitWith(page, appearanceButton(page, 'text_size', 'larger'), 'text_size=larger');
    await expectHtmlClass(page, 'ts-larger');
    await open(page, '/organizacje');
    await expectHtmlClass(page, 'ts-larger');
    await submitWith(page, appearanceButton(page, 'text_size', 'normal'), 'text_size=normal');
    await expectHtmlClass(page, 'ts-normal');
    await expectHtmlClass(page, 'ts-larger', false);
    return `accessible names: ${names.map((n) => `"${n}"`).join(', ')}`;
  }),
);

test('high contrast switch persists and shows a status flash', () =>
  withPage({}, async (page) => {
    await open(page, '/');
    await expectHtmlClass(page, 'hc', false);
    await submitWith(page, appearanceButton(page, 'contrast', 'high'), 'contrast=high');
    await expectHtmlClass(page, 'hc');
    const flash = page.locator('.flash[role="status"]');
    check((await flash.count()) > 0, 'no .flash[role=status] after saving the appearance');
    const flashText = (await flash.first().innerText()).trim();
    check(flashText.length > 0, '.flash[role=status] is empty');
    check(await flash.first().isVisible(), '.flash[role=status] is not visible');
    await open(page, '/kontakt');
    await expectHtmlClass(page, 'hc');
    await submitWith(page, appearanceButton(page, 'contrast', 'normal'), 'contrast=normal');
    await expectHtmlClass(page, 'hc', false);
    return `flash: "${flashText}"`;
  }),
);

test('language switch to English and back', () =>
  withPage({}, async (page) => {
    await open(page, '/');
    const h1pl = (await page.locator('h1').first().innerText()).trim();
    const toEn = page.locator(`${languageForm} button[name="lang"][value="en"]`);
    await submitWith(page, toEn, 'button[name=lang][value=en]');
    await open(page, '/');
    const langEn = await page.locator('html').getAttribute('lang');
    check(langEn === 'en', `after choosing English <html lang="${langEn}">`);
    const h1en = (await page.locator('h1').first().innerText()).trim();
    check(h1en !== h1pl, `h1 did not change: "${h1pl}"`);
    const toPl = page.locator(`${languageForm} button[name="lang"][value="pl"]`);
    await submitWith(page, toPl, 'button[name=lang][value=pl]');
    await open(page, '/');
    const langPl = await page.locator('html').getAttribute('lang');
    check(langPl === 'pl', `after choosing Polish again <html lang="${langPl}">`);
    return `h1 pl "${h1pl}" / en "${h1en}"`;
  }),
);

test('text size switch works with JavaScript disabled', () =>
  withPage({ javaScriptEnabled: false }, async (page) => {
    await open(page, '/');
    await submitWith(page, appearanceButton(page, 'text_size', 'larger'), 'text_size=larger');
    await expectHtmlClass(page, 'ts-larger');
    await open(page, '/kontakt');
    await expectHtmlClass(page, 'ts-larger');
  }),
);

test('first 15 Tab stops on / have a visible focus indicator', () =>
  withPage({}, async (page) => {
    await open(page, '/');
    const seen = [];
    const bad = [];
    for (let i = 0; i < 15; i += 1) {
      await page.keyboard.press('Tab');
      const info = await page.evaluate(() => {
        const el = document.activeElement;
        if (!el || el === document.body || el === document.documentElement) return null;
        const cs = getComputedStyle(el);
        const id = el.id ? `#${el.id}` : '';
        const cls = el.classList.length ? `.${[...el.classList].join('.')}` : '';
        const text = (el.getAttribute('aria-label') || el.textContent || el.value || '').trim().slice(0, 30);
        if (!el.dataset.e2eTabIndex) el.dataset.e2eTabIndex = String(Math.random());
        return {
          key: el.dataset.e2eTabIndex,
          desc: `${el.tagName.toLowerCase()}${id}${cls} "${text}"`,
          outlineStyle: cs.outlineStyle,
          outlineWidth: parseFloat(cs.outlineWidth) || 0,
          boxShadow: cs.boxShadow,
        };
      });
      if (!info) break; // focus left the document: fewer than 15 stops
      if (seen.some((s) => s.key === info.key)) break; // wrapped around
      seen.push(info);
      const outline = info.outlineStyle !== 'none' && info.outlineWidth > 0;
      const shadow = info.boxShadow && info.boxShadow !== 'none';
      if (!outline && !shadow) bad.push(`${info.desc} (outline ${info.outlineStyle} ${info.outlineWidth}px, box-shadow ${info.boxShadow})`);
    }
    check(seen.length > 0, 'Tab never focused anything');
    check(bad.length === 0, `no visible focus indicator on:\n${bad.join('\n')}`);
    return `${seen.length} Tab stops checked`;
  }),
);

test('POST /ustawienia/wyglad without _csrf is rejected with 403', () =>
  withPage({}, async (page) => {
    await open(page, '/');
    const forms = await page.evaluate(() =>
      [...document.querySelectorAll('form')]
        .filter((f) => f.method === 'post')
        .map((f) => {
          const token = f.querySelector('input[name="_csrf"]');
          return { action: f.getAttribute('action'), ok: !!token && token.type === 'hidden' && token.value.length > 0 };
        }),
    );
    const missing = forms.filter((f) => !f.ok).map((f) => f.action);
    check(forms.length > 0, 'no POST form on /');
    check(missing.length === 0, `POST forms without a hidden, non-empty _csrf: ${missing.join(', ')}`);
    const status = await page.evaluate(async () => {
      const res = await fetch('/ustawienia/wyglad', {
        method: 'POST',
        headers: { 'Content-Type': 'application/x-www-form-urlencoded' },
        body: 'text_size=larger',
        redirect: 'manual',
      });
      return res.type === 'opaqueredirect' ? 'a redirect (accepted)' : res.status;
    });
    check(status === 403, `POST without _csrf answered ${status}, expected 403`);
    await open(page, '/');
    await expectHtmlClass(page, 'ts-larger', false);
    return `${forms.length} POST form(s) on / carry _csrf`;
  }),
);

// The server writes e-mail as .eml files under <data dir>/mail (file transport); find the newest
// link to `pathPrefix` followed by a 64-hex token, undoing quoted-printable encoding.
async function mailLink(pathPrefix, to = '', pattern = null) {
  const dir = path.join(state.dataDir, 'mail');
  const escaped = pathPrefix.replace(/[?]/g, '\\?');
  const re = pattern || new RegExp(`https?://[^\\s"<>]*${escaped}[0-9a-f]{64}`);
  for (let i = 0; i < 40; i++) {
    if (fs.existsSync(dir)) {
      const files = fs
        .readdirSync(dir)
        .filter((f) => f.endsWith('.eml'))
        .map((f) => ({ f, t: fs.statSync(path.join(dir, f)).mtimeMs }))
        .sort((a, b) => b.t - a.t);
      for (const { f } of files) {
        const raw = fs.readFileSync(path.join(dir, f), 'utf8').replace(/=\r?\n/g, '').replace(/=3D/gi, '=');
        if (to && !raw.includes(to)) continue;
        const m = raw.match(re);
        if (m) return new URL(m[0]).pathname + new URL(m[0]).search;
      }
    }
    await sleep(250);
  }
  throw new Failure(`no e-mail with a ${pathPrefix} link in ${dir}`);
}

test('account: sign-up errors, verification e-mail, sign-in, panel, sessions, sign-out (axe on each)', () =>
  // bypassCSP only lets the test inject axe-core; the page's own CSP is checked elsewhere.
  withPage({ bypassCSP: true }, async (page) => {
    const notes = [];
    await open(page, '/konto/rejestracja');
    await page.locator('main form button[type="submit"]').click();
    await page.waitForLoadState('load');
    check((await page.locator('.error-summary').count()) === 1, 'no error summary after an empty sign-up form');
    check((await page.locator('.field-error').count()) >= 3, 'errors are not shown next to the fields');
    notes.push(await axeCheck(page));
    const email = `e2e-${Date.now()}@example.pl`;
    const password = 'zażółć gęślą jaźń 2026';
    await page.fill('#name', 'Zuzanna Źdźbło');
    await page.fill('#email', email);
    await page.fill('#password', password);
    await page.fill('#password_confirm', password);
    await page.check('#privacy');
    await page.locator('main form button[type="submit"]').click();
    await page.waitForLoadState('load');
    check((await page.locator('h1').innerText()).includes('Sprawdź'), 'no "check your mail" page after sign-up');
    const confirm = await mailLink('/konto/potwierdz?t=', email);
    await open(page, confirm);
    notes.push(await axeCheck(page));
    await page.locator('main form button[type="submit"]').click();
    await page.waitForURL(/\/konto\/logowanie/);
    check((await page.locator('.flash[role="status"]').count()) === 1, 'no flash after confirming the address');
    // Keyboard only: Tab to the e-mail field, type, Tab to the password, Enter submits.
    let tabs = 0;
    while ((await page.evaluate(() => document.activeElement && document.activeElement.id)) !== 'email') {
      await page.keyboard.press('Tab');
      check(++tabs < 60, 'the e-mail field is not reachable with Tab');
    }
    await page.keyboard.type(email);
    await page.keyboard.press('Tab');
    check((await page.evaluate(() => document.activeElement.id)) === 'password', 'Tab from e-mail does not reach the password');
    await page.keyboard.type(password);
    await page.keyboard.press('Enter');
    await page.waitForURL(/\/panel$/);
    check((await page.locator('h1').innerText()).length > 0, 'panel has no h1');
    notes.push(await axeCheck(page));
    await open(page, '/panel/sesje');
    check((await page.locator('table tbody tr').count()) === 1, 'expected one session row');
    notes.push(await axeCheck(page));
    await page.locator('form[action="/konto/wyloguj"] button').click();
    await page.waitForURL((u) => new URL(u).pathname === '/');
    await open(page, '/panel');
    check(new URL(page.url()).pathname === '/konto/logowanie', `after sign-out /panel went to ${page.url()}`);
    return notes.filter(Boolean).join('\n');
  }),
);

// RFC 6238 TOTP (HMAC-SHA1, 30 s, 6 digits) from a base32 secret, as an authenticator app does.
function totp(secretB32) {
  const alphabet = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ234567';
  let bits = '';
  for (const c of secretB32.replace(/=+$/, '')) bits += alphabet.indexOf(c).toString(2).padStart(5, '0');
  const key = Buffer.from(bits.match(/.{8}/g).map((b) => parseInt(b, 2)));
  const counter = Buffer.alloc(8);
  counter.writeBigUInt64BE(BigInt(Math.floor(Date.now() / 1000 / 30)));
  const h = crypto.createHmac('sha1', key).update(counter).digest();
  const o = h[h.length - 1] & 0xf;
  const n = ((h[o] & 0x7f) << 24) | (h[o + 1] << 16) | (h[o + 2] << 8) | h[o + 3];
  return String(n % 1000000).padStart(6, '0');
}

test('staff: create-admin, sign-in with TOTP set-up, admin pages (axe on each)', () =>
  withPage({ bypassCSP: true }, async (page) => {
    const email = 'admin-e2e@wierzbin.example';
    const password = 'hasło administratora e2e';
    const out = spawnSync(SERVER_BIN, ['create-admin', '--email', email, '--name', 'Admin E2E'], {
      env: state.serverEnv,
      input: `${password}\n`,
      encoding: 'utf8',
    });
    check(out.status === 0, `create-admin failed: ${out.stderr}`);
    const notes = [];
    await open(page, '/konto/logowanie');
    await page.fill('#email', email);
    await page.fill('#password', password);
    await page.locator('main form button[type="submit"]').click();
    await page.waitForURL(/\/konto\/2fa\/konfiguracja/);
    notes.push(await axeCheck(page));
    const secret = (await page.locator('dd code').first().innerText()).trim();
    await page.fill('#code', totp(secret));
    await page.locator('main form button[type="submit"]').click();
    await page.waitForLoadState('load');
    check((await page.locator('.notice code').count()) === 10, 'expected 10 recovery codes');
    notes.push(await axeCheck(page));
    for (const p of ['/panel', '/panel/konto', '/panel/organizacje', '/panel/sesje', '/panel/admin/uzytkownicy', '/panel/admin/zaproszenia', '/panel/admin/ustawienia', '/panel/admin/import', '/panel/admin/poczta', '/panel/audyt']) {
      await open(page, p);
      check((await page.locator('h1').count()) === 1, `${p}: expected one h1`);
      const n = await axeCheck(page);
      if (n) notes.push(`${p}: ${n}`);
    }
    // An invitation form submitted empty shows the errors, accessible too.
    await open(page, '/panel/admin/zaproszenia');
    await page.locator('main form button[type="submit"]').click();
    await page.waitForLoadState('load');
    check((await page.locator('.error-summary').count()) === 1, 'no error summary on the empty invitation form');
    notes.push(await axeCheck(page));
    // A CSV upload with an error shows the report table (nothing imported), accessible too.
    await open(page, '/panel/admin/import');
    await page.setInputFiles('#plik', {
      name: 'organizacje.csv',
      mimeType: 'text/csv',
      buffer: Buffer.from('nazwa;nip;email;ulica;kod_pocztowy;miejscowosc\nFundacja E2E;1234563219;e2e@example.org;ul. Polna 1;12-345;Wierzbin\n'),
    });
    await page.locator('main form button[type="submit"]').click();
    await page.waitForURL(/\/panel\/admin\/import\/\d+$/);
    // The import runs in the background: its page shows progress (accessible too), then the
    // result; the "Refresh" link is what a keyboard user follows.
    notes.push(await axeCheck(page));
    for (let i = 0; i < 50 && (await page.locator('table caption').count()) === 0; i++) {
      await new Promise((r) => setTimeout(r, 200));
      await page.reload({ waitUntil: 'load' });
    }
    check((await page.locator('table caption').count()) >= 1, 'no error table after a bad CSV upload');
    check((await page.locator('th[scope="row"]', { hasText: '2' }).count()) >= 1, 'the error report names line 2');
    notes.push(await axeCheck(page));
    return notes.filter(Boolean).join('\n');
  }),
);

// A 1×1 PNG for the logo upload.
const PNG_1PX = Buffer.from(
  '89504e470d0a1a0a0000000d4948445200000001000000010806000000' +
    '1f15c4890000000a49444154789c63000100000500010d0a2db40000000049454e44ae426082',
  'hex',
);

async function signUpAndIn(page, email, password, name) {
  await open(page, '/konto/rejestracja');
  await page.fill('#name', name);
  await page.fill('#email', email);
  await page.fill('#password', password);
  await page.fill('#password_confirm', password);
  await page.check('#privacy');
  await page.locator('main form button[type="submit"]').click();
  await page.waitForLoadState('load');
  await open(page, await mailLink('/konto/potwierdz?t=', email));
  await page.locator('main form button[type="submit"]').click();
  await page.waitForURL(/\/konto\/logowanie/);
  await page.fill('#email', email);
  await page.fill('#password', password);
  await page.locator('main form button[type="submit"]').click();
  await page.waitForURL(/\/panel$/);
}

async function adminWithTotp(page, email) {
  const password = 'hasło moderatora e2e';
  const out = spawnSync(SERVER_BIN, ['create-admin', '--email', email, '--name', 'Moderator E2E'], {
    env: state.serverEnv,
    input: `${password}\n`,
    encoding: 'utf8',
  });
  check(out.status === 0, `create-admin failed: ${out.stderr}`);
  await open(page, '/konto/logowanie');
  await page.fill('#email', email);
  await page.fill('#password', password);
  await page.locator('main form button[type="submit"]').click();
  await page.waitForURL(/\/konto\/2fa\/konfiguracja/);
  const secret = (await page.locator('dd code').first().innerText()).trim();
  await page.fill('#code', totp(secret));
  await page.locator('main form button[type="submit"]').click();
  await page.waitForLoadState('load');
}

async function approveNewest(page, name, notes, { axe = true } = {}) {
  await open(page, '/panel/moderacja');
  if (axe) notes.push(await axeCheck(page));
  await page.locator('main table a', { hasText: name }).first().click();
  await page.waitForURL(/\/panel\/moderacja\/\d+$/);
  if (axe) notes.push(await axeCheck(page));
  // A claim has no field changes, so no diff table.
  const diff = (await page.locator('main table.diff').count()) ? await page.locator('main table.diff').innerText() : '';
  await page.check('#decision-approve');
  await page.locator('main form button[type="submit"]').click();
  await page.waitForURL(/\/panel\/moderacja$/);
  return diff;
}

test('directory: register → moderate → publish → search → edit → moderated diff → yearly confirmation (axe on each)', () =>
  withPage({ bypassCSP: true }, async (ngo) => {
    const notes = [];
    const stamp = Date.now();
    await signUpAndIn(ngo, `ngo-${stamp}@example.pl`, 'hasło wolontariuszki e2e', 'Wanda Wolontariuszka');
    await open(ngo, '/panel/organizacje/nowa');
    notes.push(await axeCheck(ngo));
    await ngo.locator('main form.profile-form button[type="submit"]').click();
    await ngo.waitForLoadState('load');
    check((await ngo.locator('.error-summary').count()) === 1, 'no error summary on an empty profile form');
    notes.push(await axeCheck(ngo));
    const name = `Fundacja Źródło Łódź ${stamp}`;
    await ngo.fill('#name', name);
    await ngo.fill('#short_description', 'Prowadzimy warsztaty szkutnicze dla młodzieży z Zatorza i sprzątamy brzegi rzeki z mieszkańcami.');
    await ngo.selectOption('#legal_form', 'fundacja');
    await ngo.fill('#nip', '123-456-32-18');
    await ngo.fill('#email', `biuro-${stamp}@zrodlo.example.org`);
    await ngo.fill('#phone', '600 100 200');
    await ngo.fill('#website', 'zrodlo.example.org');
    await ngo.fill('#street', 'ul. Rzeczna 4');
    await ngo.fill('#postal_code', '12-345');
    await ngo.fill('#district', 'Zatorze');
    await ngo.check('#leading-16');
    await ngo.check('#group-mlodziez');
    await ngo.fill('#contact_1_name', 'Żaneta Kowalczyk');
    await ngo.fill('#contact_1_role', 'prezeska zarządu');
    await ngo.setInputFiles('#logo', { name: 'logo.png', mimeType: 'image/png', buffer: PNG_1PX });
    await ngo.fill('#logo_alt', 'Logo: niebieska kropla');
    await ngo.locator('main form.profile-form button[type="submit"]').click();
    await ngo.waitForURL(/\/panel\/organizacje$/);
    check((await ngo.locator('.flash[role="status"]').count()) === 1, 'no flash after sending the profile');
    notes.push(await axeCheck(ngo));
    const editHref = await ngo.locator(`main section:has-text("${name}") a[href$="/profil"]`).getAttribute('href');
    check(editHref, 'no edit link for the new organisation');

    const modCtx = await newContext({ bypassCSP: true });
    try {
      const mod = await modCtx.newPage();
      await runOnPage(mod, async () => {
        await adminWithTotp(mod, `moderator-${stamp}@wierzbin.example`);
        await approveNewest(mod, name, notes);
      });
      // Published and found by a search without Polish letters.
      await open(ngo, `/organizacje?q=${encodeURIComponent('zrodlo lodz')}`);
      await ngo.locator('main a', { hasText: name }).first().click();
      await ngo.waitForURL(/\/organizacje\/[a-z0-9-]+$/);
      const orgPath = new URL(ngo.url()).pathname;
      check((await ngo.locator('img[alt="Logo: niebieska kropla"]').count()) === 1, 'logo with its alt text not shown');
      check((await ngo.locator('main').innerText()).includes('Żaneta Kowalczyk'), 'contact person not shown');
      notes.push(await axeCheck(ngo));

      // An edit waits for moderation; the moderator sees the change side by side.
      await open(ngo, editHref);
      notes.push(await axeCheck(ngo));
      await ngo.fill('#phone', '+48 601 222 333');
      await ngo.locator('main form.profile-form button[type="submit"]').click();
      await ngo.waitForURL(/\/panel\/organizacje$/);
      await open(ngo, orgPath);
      check(!(await ngo.locator('main').innerText()).includes('601 222 333'), 'an unmoderated change is public');
      const diff = await runOnPage(mod, () => approveNewest(mod, name, notes));
      check(diff.includes('600 100 200') && diff.includes('+48 601 222 333'), `diff lacks old/new phone: ${diff.slice(0, 300)}`);
      await open(ngo, orgPath);
      check((await ngo.locator('main').innerText()).includes('601 222 333'), 'the approved change is not public');
      await open(ngo, editHref.replace('/profil', '/historia'));
      check((await ngo.locator('main table tbody tr').count()) === 2, 'history does not list two versions');
      notes.push(await axeCheck(ngo));

      // The yearly request, sent now from the officials' overview, confirmed with one click.
      await runOnPage(mod, async () => {
        await open(mod, '/panel/katalog');
        notes.push(await axeCheck(mod));
        await mod.locator(`main tr:has-text("${name}") form[action$="/prosba"] button`).click();
        await mod.waitForURL(/\/panel\/katalog$/);
      });
    } finally {
      await modCtx.close().catch(() => {});
    }
    const confirm = await mailLink('/organizacje/potwierdz?t=', `biuro-${stamp}@zrodlo.example.org`);
    await open(ngo, confirm);
    notes.push(await axeCheck(ngo));
    await ngo.locator('main form[action="/organizacje/potwierdz"] button').click();
    await ngo.waitForURL(/\/organizacje\/[a-z0-9-]+$/);
    check((await ngo.locator('.flash[role="status"]').count()) === 1, 'no flash after confirming the data');
    return notes.filter(Boolean).join('\n');
  }),
);

// Warsaw wall-clock date (YYYY-MM-DD) and time (HH:MM) of an instant, as the event form takes them.
function warsawParts(date) {
  const f = new Intl.DateTimeFormat('en-CA', {
    timeZone: 'Europe/Warsaw', year: 'numeric', month: '2-digit', day: '2-digit',
    hour: '2-digit', minute: '2-digit', hourCycle: 'h23',
  });
  const p = Object.fromEntries(f.formatToParts(date).map((x) => [x.type, x.value]));
  return { date: `${p.year}-${p.month}-${p.day}`, time: `${p.hour}:${p.minute}` };
}

// A real 1200×400 poster would need an encoder; Chromium draws one for us on a canvas.
async function posterPng(page) {
  const dataUrl = await page.evaluate(() => {
    const c = document.createElement('canvas');
    c.width = 1600;
    c.height = 800;
    const g = c.getContext('2d');
    g.fillStyle = '#0b5394';
    g.fillRect(0, 0, 1600, 800);
    g.fillStyle = '#ffffff';
    g.font = '120px sans-serif';
    g.fillText('Wodowanie', 200, 450);
    return c.toDataURL('image/png');
  });
  return Buffer.from(dataUrl.split(',')[1], 'base64');
}

test('events: NGO submits an event with a poster → moderator approves → calendar, organisation page, .ics feeds, home page (axe on each)', () =>
  withPage({ bypassCSP: true }, async (ngo) => {
    const notes = [];
    const stamp = Date.now();
    await signUpAndIn(ngo, `ngo-ev-${stamp}@example.pl`, 'hasło wolontariuszki e2e', 'Edyta Eventowa');
    await open(ngo, '/panel/organizacje/nowa');
    const orgName = `Stowarzyszenie Przystań ${stamp}`;
    await ngo.fill('#name', orgName);
    await ngo.fill('#short_description', 'Uczymy dzieci i dorosłych pływać łodzią wiosłową i dbamy o przystań nad Wierzbinką.');
    await ngo.selectOption('#legal_form', 'stowarzyszenie');
    await ngo.fill('#email', `biuro-${stamp}@przystan.example.org`);
    await ngo.fill('#phone', '600 300 400');
    await ngo.fill('#street', 'ul. Rzeczna 8');
    await ngo.fill('#postal_code', '12-345');
    await ngo.check('#leading-16');
    await ngo.locator('main form.profile-form button[type="submit"]').click();
    await ngo.waitForURL(/\/panel\/organizacje$/);
    const modCtx = await newContext({ bypassCSP: true });
    try {
      const mod = await modCtx.newPage();
      await runOnPage(mod, async () => {
        await adminWithTotp(mod, `moderator-ev-${stamp}@wierzbin.example`);
        await approveNewest(mod, orgName, notes);
      });

      // The organisation's events page and the event form.
      await open(ngo, '/panel/organizacje');
      await ngo.locator(`main section:has-text("${orgName}") a[href$="/wydarzenia"]`).click();
      await ngo.waitForURL(/\/panel\/organizacje\/\d+\/wydarzenia$/);
      const eventsUrl = ngo.url();
      notes.push(await axeCheck(ngo));
      await ngo.locator('main a[href$="/wydarzenia/nowe"]').click();
      await ngo.waitForURL(/\/wydarzenia\/nowe$/);
      notes.push(await axeCheck(ngo));

      // Bad input first: the error summary, the input kept.
      const title = `Wodowanie łodzi ${stamp}`;
      await ngo.fill('#title', title);
      await ngo.locator('main form button[value="submit"]').click();
      await ngo.waitForLoadState('load');
      check((await ngo.locator('.error-summary').count()) === 1, 'no error summary on an incomplete event');
      check((await ngo.inputValue('#title')) === title, 'the title was not kept');
      notes.push(await axeCheck(ngo));

      // Starts in a minute, so it is the next event on the home page.
      const start = warsawParts(new Date(Date.now() + 60_000));
      const end = warsawParts(new Date(Date.now() + 3 * 3600_000));
      await ngo.selectOption('#category', 'festyn');
      await ngo.fill('#description', 'Zapraszamy rodziny nad rzekę. **Wstęp wolny**, poczęstunek dla wszystkich.');
      await ngo.fill('#start_date', start.date);
      await ngo.fill('#start_time', start.time);
      await ngo.fill('#end_date', end.date);
      await ngo.fill('#end_time', end.time);
      await ngo.fill('#place', 'Przystań przy ul. Rzecznej 8');
      await ngo.check('#sphere-16');
      await ngo.check('#group-rodziny');
      await ngo.setInputFiles('#poster', { name: 'plakat.png', mimeType: 'image/png', buffer: await posterPng(ngo) });
      await ngo.fill('#poster_alt', 'Plakat: niebieskie tło, napis Wodowanie');
      await ngo.locator('main form button[value="submit"]').click();
      await ngo.waitForURL(/\/panel\/organizacje\/\d+\/wydarzenia$/);
      check((await ngo.locator('.flash[role="status"]').count()) === 1, 'no flash after submitting the event');
      check((await ngo.locator('main').innerText()).includes('Czeka na moderację'), 'the event is not shown as pending');
      notes.push(await axeCheck(ngo));

      // Not public before moderation.
      const orgPath = `/organizacje/${await (async () => {
        await open(ngo, `/organizacje?q=${encodeURIComponent('przystan ' + stamp)}`);
        const href = await ngo.locator('main a', { hasText: orgName }).first().getAttribute('href');
        return href.split('/').pop();
      })()}`;
      const slugOf = orgPath.split('/').pop();
      const unfold = (t) => t.replace(/\r\n[ \t]/g, '');
      let ics = unfold(await (await ngo.request.get(url(`${orgPath}/kalendarz.ics`))).text());
      check(ics.startsWith('BEGIN:VCALENDAR') && !ics.includes(`SUMMARY:${title}`), 'a pending event is in the organisation feed');

      await runOnPage(mod, async () => {
        const diff = await approveNewest(mod, title, notes);
        check(diff.includes('Przystań przy ul. Rzecznej 8'), 'the moderator diff lacks the place');
      });

      // Calendar (filtered by the organisation), event page with the poster, organisation page, feeds, home page.
      await open(ngo, `/kalendarz?organizacja=${slugOf}`);
      await ngo.locator('main a', { hasText: title }).first().click();
      await ngo.waitForURL(/\/kalendarz\/[a-z0-9-]+$/);
      const eventPath = new URL(ngo.url()).pathname;
      const poster = ngo.locator('main img[alt="Plakat: niebieskie tło, napis Wodowanie"]');
      check((await poster.count()) === 1, 'the poster with its alt text is not on the event page');
      const width = await poster.evaluate((img) => img.naturalWidth);
      check(width === 1200, `the poster was not scaled to 1200 px (got ${width})`);
      check((await ngo.locator('main strong', { hasText: 'Wstęp wolny' }).count()) === 1, 'Markdown not rendered');
      notes.push(await axeCheck(ngo));
      const single = await ngo.request.get(url(`${eventPath}/wydarzenie.ics`));
      check(single.status() === 200 && (single.headers()['content-type'] || '').startsWith('text/calendar'), 'single-event .ics not served');
      check(unfold(await single.text()).includes(`SUMMARY:${title}`), 'single-event .ics lacks the title');
      ics = unfold(await (await ngo.request.get(url(`${orgPath}/kalendarz.ics`))).text());
      check(ics.includes(`SUMMARY:${title}`), 'the organisation feed lacks the event');
      const all = unfold(await (await ngo.request.get(url('/kalendarz.ics'))).text());
      check(all.startsWith('BEGIN:VCALENDAR') && all.includes(`SUMMARY:${title}`), 'the calendar feed lacks the event');
      await open(ngo, orgPath);
      check((await ngo.locator(`main a[href="${eventPath}"]`).count()) >= 1, 'the organisation page does not list the event');
      await open(ngo, '/');
      check((await ngo.locator(`main a[href="${eventPath}"]`).count()) >= 1, 'the home page does not list the event');
      notes.push(await axeCheck(ngo));

      // The news/report form of the organisation and the officials' pages for news and partner activities.
      const orgId = eventsUrl.match(/organizacje\/(\d+)/)[1];
      await open(ngo, `/panel/organizacje/${orgId}/aktualnosci/nowa`);
      notes.push(await axeCheck(ngo));
      await ngo.locator('main form button[value="submit"]').click();
      await ngo.waitForLoadState('load');
      check((await ngo.locator('.error-summary').count()) === 1, 'no error summary on an empty news form');
      notes.push(await axeCheck(ngo));
      await runOnPage(mod, async () => {
        for (const p of ['/panel/aktualnosci', '/panel/aktualnosci/nowa', '/panel/wspolpraca', '/panel/wspolpraca/nowe',
          '/panel/strony', '/panel/kontakty', '/panel/kontakty/nowy', '/panel/promocja', '/panel/stopka']) {
          await open(mod, p);
          notes.push(await axeCheck(mod));
        }
        for (const list of ['/panel/strony', '/panel/wspolpraca']) {
          await open(mod, list);
          const href = await mod.locator('main table a[href^="/panel/"]').first().getAttribute('href');
          await open(mod, href);
          notes.push(await axeCheck(mod));
        }
        await open(mod, '/panel/wspolpraca');
        await open(mod, await mod.locator('main a[href$="/zgloszenia"]').first().getAttribute('href'));
        notes.push(await axeCheck(mod));
        // Mailings: list, composer with its errors, preview, a sent mailing's status page.
        await open(mod, '/panel/wysylki');
        notes.push(await axeCheck(mod));
        await open(mod, '/panel/wysylki/nowa');
        notes.push(await axeCheck(mod));
        await mod.locator('main form button[value="wyslij"]').click();
        await mod.waitForLoadState('load');
        check((await mod.locator('.error-summary').count()) === 1, 'no error summary on an empty mailing');
        notes.push(await axeCheck(mod));
        await mod.fill('#subject', 'Nabór wniosków: małe granty 2027');
        await mod.fill('#body', 'Zapraszamy do **składania ofert**.\n\n- termin: 15 stycznia\n- [regulamin](https://example.pl/regulamin)');
        await mod.fill('#custom', 'e2e-odbiorca@example.pl');
        await mod.locator('main form button[value="podglad"]').click();
        await mod.waitForLoadState('load');
        check((await mod.locator('.preview-body strong', { hasText: 'składania ofert' }).count()) === 1, 'the preview does not render Markdown');
        notes.push(await axeCheck(mod));
        await mod.locator('main form button[value="wyslij"]').click();
        await mod.waitForURL(/\/panel\/wysylki\/\d+$/);
        notes.push(await axeCheck(mod));
        await open(mod, '/panel/wysylki/adresaci');
        notes.push(await axeCheck(mod));
        // Address check: the campaign goes to every organisation; one link from the real e-mail.
        await open(mod, '/panel/wysylki');
        await mod.locator('main form[action="/panel/wysylki/adresy"] button').click();
        await mod.waitForURL(/\/panel\/wysylki\/\d+$/);
        const confirmLink = await mailLink('/adres/potwierdz', '', /https?:\/\/[^\s"<>]*\/adres\/potwierdz\?r=\d+&(?:amp;)?s=[0-9a-f]{64}/);
        await inShared('plain', async (page) => {
          await open(page, confirmLink.replace('&amp;', '&'));
          notes.push(await axeCheck(page));
          await page.locator('main form button.button').click();
          await page.waitForLoadState('load');
          check((await page.locator('main form button.button').count()) === 0, 'the address was not confirmed');
          notes.push(await axeCheck(page));
        });
        // Meetings: list, form errors, a new meeting, invitations, the answer page from the e-mail.
        await open(mod, '/panel/spotkania');
        notes.push(await axeCheck(mod));
        await open(mod, '/panel/spotkania/nowe');
        notes.push(await axeCheck(mod));
        await mod.locator('main form button.button').click();
        await mod.waitForLoadState('load');
        check((await mod.locator('.error-summary').count()) === 1, 'no error summary on an empty meeting');
        notes.push(await axeCheck(mod));
        const day = new Date(Date.now() + 10 * 86400000).toISOString().slice(0, 10);
        await mod.fill('#title', 'Spotkanie e2e: program współpracy');
        await mod.fill('#agenda', '1. Otwarcie\n2. Program współpracy');
        await mod.fill('#date', day);
        await mod.fill('#start_time', '17:00');
        await mod.fill('#end_time', '19:00');
        await mod.fill('#place', 'Urząd Miejski, sala 12');
        await mod.fill('#capacity', '20');
        await mod.uncheck('#organizations');
        await mod.fill('#custom', 'e2e-zaproszony@example.pl');
        await mod.locator('main form button.button').click();
        await mod.waitForURL(/\/panel\/spotkania\/\d+$/);
        const meetingPanel = new URL(mod.url()).pathname;
        notes.push(await axeCheck(mod));
        await mod.locator('main form[action$="/zaproszenia"] button').click();
        await mod.waitForURL(new RegExp(`${meetingPanel}$`));
        const answer = await mailLink('/odpowiedz', 'e2e-zaproszony@example.pl', /https?:\/\/[^\s"<>]*\/odpowiedz\?i=\d+&(?:amp;)?s=[0-9a-f]{64}/);
        await inShared('plain', async (page) => {
          await open(page, answer.replace('&amp;', '&'));
          notes.push(await axeCheck(page));
          await page.check('#answer-tak');
          await page.locator('main form button.button').click();
          await page.waitForLoadState('load');
          check((await page.locator('text=udział jest potwierdzony').count()) >= 1, 'no confirmation after answering');
          notes.push(await axeCheck(page));
        });
        await open(mod, meetingPanel);
        check((await mod.locator('main table th', { hasText: 'e2e-zaproszony@example.pl' }).count()) === 1, 'the answer is not listed');
        notes.push(await axeCheck(mod));
        await open(mod, '/panel/moje-spotkania');
        notes.push(await axeCheck(mod));
      });
    } finally {
      await modCtx.close().catch(() => {});
    }
    return notes.filter(Boolean).join('\n');
  }),
);

test('newsletter: sign-up → confirmation page → preferences → unsubscribe page (axe on each)', () =>
  withPage({ bypassCSP: true }, async (page) => {
    const notes = [];
    const email = `czytelniczka-${Date.now()}@example.pl`;
    await open(page, '/newsletter');
    await page.fill('main form input[type="email"]', email);
    await page.check('#topic-events');
    await page.check('#consent');
    await page.locator('main form button[type="submit"]').click();
    await page.waitForLoadState('load');
    notes.push(await axeCheck(page));
    await open(page, await mailLink('/newsletter/potwierdz?t=', email));
    notes.push(await axeCheck(page));
    await page.locator('main form[action="/newsletter/potwierdz"] button').click();
    await page.waitForURL(/\/newsletter\/ustawienia\?/);
    check(await page.isChecked('#topic-events'), 'the chosen topic is not shown on the preferences page');
    notes.push(await axeCheck(page));
    const unsubscribe = await page.locator('main form[action^="/newsletter/wypisz"]').first().getAttribute('action');
    await open(page, unsubscribe);
    notes.push(await axeCheck(page));
    return notes.filter(Boolean).join('\n');
  }),
);

test('/healthz is 200 and /readyz reports "database":"ok"', async () => {
  const health = await fetch(url('/healthz'));
  check(health.status === 200, `/healthz answered ${health.status}`);
  const ready = await fetch(url('/readyz'));
  const body = await ready.text();
  check(ready.status === 200, `/readyz answered ${ready.status}: ${body.slice(0, 200)}`);
  let compact;
  try {
    compact = JSON.stringify(JSON.parse(body));
  } catch {
    throw new Failure(`/readyz body is not JSON: ${body.slice(0, 200)}`);
  }
  check(compact.includes('"database":"ok"'), `/readyz body lacks "database":"ok": ${compact.slice(0, 200)}`);
  return `/readyz: ${compact.slice(0, 120)}`;
});

test('organisation search ignores diacritics and case', () =>
  withPage({}, async (page) => {
    await open(page, '/organizacje?q=lodz');
    const lodz = await resultCount(page);
    if (lodz > 0) {
      const names = await page.locator('main a[href^="/organizacje/"]').allInnerTexts();
      const hit = names.find((n) => /łód[zź]/i.test(n));
      check(hit, `?q=lodz reports ${lodz} result(s) but none is named Łódź: ${JSON.stringify(names.slice(0, 10))}`);
      return `?q=lodz found "${hit.trim()}"`;
    }
    const counts = {};
    for (const q of ['związek', 'ZWIAZEK', 'zwiazek']) {
      await open(page, `/organizacje?q=${encodeURIComponent(q)}`);
      counts[q] = await resultCount(page);
    }
    check(counts['związek'] > 0, `?q=związek finds nothing (${JSON.stringify(counts)})`);
    check(
      counts['ZWIAZEK'] === counts['związek'] && counts['zwiazek'] === counts['związek'],
      `result counts differ: ${JSON.stringify(counts)}`,
    );
    return `no Łódź organisation in demo data; counts ${JSON.stringify(counts)}`;
  }),
);

// ---------------------------------------------------------------------------
// Main

registerGrants({
  test,
  check,
  state,
  url,
  newContext,
  runOnPage,
  withPage,
  open,
  axeCheck,
  signUpAndIn,
  adminWithTotp,
  approveNewest,
  mailLink,
  warsawParts,
  sleep,
});

registerConsultations({ test, check, state, withPage, open, axeCheck, signUpAndIn, adminWithTotp });
registerProgramme({ test, check, state, withPage, open, axeCheck, adminWithTotp, inShared });

registerMatrix({
  test,
  check,
  Failure,
  state,
  url,
  newContext,
  runOnPage,
  open,
  axeViolations,
  signUpAndIn,
  adminWithTotp,
  approveNewest,
  totp,
  mailLink,
  extraPublicPaths: PAGES.filter((p) => typeof p.path === 'string').map((p) => p.path),
});

async function main() {
  let summary = null;
  let fatal = null;
  try {
    await startServer();
    state.browser = await chromium.launch({
      executablePath: BROWSER_BIN,
      headless: true,
      args: BROWSER_ARGS,
    });
    console.log(`# browser: Chromium ${state.browser.version()} (${BROWSER_BIN})`);
    summary = await runTests();
  } catch (err) {
    fatal = err;
    console.log(`FAIL setup\n${indent(describeError(err))}`);
  } finally {
    if (state.browser) await state.browser.close().catch(() => {});
    await stopServer().catch((err) => console.log(`# could not stop server: ${err.message}`));
  }

  const failed = fatal ? 1 : summary.failed;
  const passed = summary ? summary.passed : 0;
  if (failed) {
    printServerLog();
    if (summary && summary.failures.length) {
      console.log('\n# failed checks:');
      for (const f of summary.failures) {
        const lines = f.reason.split('\n');
        const gist = lines[0].endsWith(':') && lines[1] ? `${lines[0]} ${lines[1].trim()}` : lines[0];
        console.log(`#   ${f.name}: ${gist}`);
      }
    }
  }
  if (state.tmpDir) {
    if (failed || process.env.E2E_KEEP_TMP) console.log(`# temp dir kept: ${state.tmpDir}`);
    else fs.rmSync(state.tmpDir, { recursive: true, force: true });
  }
  console.log(`\ne2e: ${passed} passed, ${failed} failed`);
  process.exitCode = failed ? 1 : 0;
}

await main();
