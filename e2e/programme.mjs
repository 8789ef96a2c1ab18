// The cooperation programme in the browser (issue 21): a visitor reads the programme in force and
// last year's published report — each chart an SVG image with a name and a description and the
// same data in the table beside it — in normal and high-contrast mode (the bars keep a readable
// contrast against the page); the office opens the programme, writes this year's draft report
// (an invalid manual value kept with its error, then saved) and sees the live preview. axe-core
// runs on every page with zero findings of any impact.

import { sql } from './grants.mjs';

const mainText = async (page) => (await page.locator('main').innerText()).replace(/[\u00a0\u202f]/g, ' ');

// The relative luminance contrast of two CSS colours "rgb(r, g, b)".
function contrast(a, b) {
  const lum = (c) => {
    const [r, g, bl] = c.match(/\d+(\.\d+)?/g).slice(0, 3).map(Number).map((v) => {
      const s = v / 255;
      return s <= 0.03928 ? s / 12.92 : ((s + 0.055) / 1.055) ** 2.4;
    });
    return 0.2126 * r + 0.7152 * g + 0.0722 * bl;
  };
  const [x, y] = [lum(a), lum(b)].sort((p, q) => q - p);
  return (x + 0.05) / (y + 0.05);
}

export function registerProgramme(h) {
  const { test, check, state, withPage, open, axeCheck, adminWithTotp, inShared } = h;
  const strict = (note) => {
    check(!/non-blocking axe findings/.test(note || ''), `axe findings: ${note}`);
    return note;
  };

  // Every chart names itself and has its table; bars and text contrast with the page.
  async function checkCharts(page) {
    const charts = await page.locator('main figure.chart svg[role="img"]').all();
    check(charts.length >= 3, `only ${charts.length} charts`);
    for (const svg of charts) {
      const ids = (await svg.getAttribute('aria-labelledby')).split(' ');
      for (const id of ids) check((await page.locator(`#${id}`).textContent()).trim().length > 0, `chart part ${id} is empty`);
      const section = svg.locator('xpath=ancestor::section[1]');
      check((await section.locator('table').count()) === 1, 'a chart without its table');
    }
    const [bar, bg, text] = await page.evaluate(() => {
      const b = document.querySelector('main .chart-bar');
      const t = document.querySelector('main .chart-text');
      return [getComputedStyle(b).fill, getComputedStyle(document.body).backgroundColor, getComputedStyle(t).fill];
    });
    check(contrast(bar, bg) >= 3, `bars ${bar} on ${bg}: contrast below 3:1`);
    check(contrast(text, bg) >= 4.5, `chart text ${text} on ${bg}: contrast below 4.5:1`);
  }

  test('programme: the programme and its published report with accessible charts (normal and high contrast); the office writes the draft report (axe on each)', () =>
    withPage({ bypassCSP: true }, async (page) => {
      const notes = [];
      const year = new Date().getFullYear();
      const last = `program-wspolpracy-${year - 1}`;
      await open(page, '/program');
      notes.push(strict(await axeCheck(page)));
      await page.locator(`main a[href="/program/program-wspolpracy-${year}"]`).click();
      await page.waitForURL(new RegExp(`/program/program-wspolpracy-${year}$`));
      check((await mainText(page)).includes('Priorytetowe zadania publiczne'), 'the programme has no tasks part');
      notes.push(strict(await axeCheck(page)));
      await open(page, `/program/${last}/sprawozdanie/${year - 1}`);
      await checkCharts(page);
      notes.push(strict(await axeCheck(page)));
      const csv = await page.evaluate(async (u) => (await fetch(u)).status, `/program/${last}/sprawozdanie/${year - 1}/zadania.csv`);
      check(csv === 200, `CSV answered ${csv}`);
      await inShared('highContrast', async (hc) => {
        await open(hc, `/program/${last}/sprawozdanie/${year - 1}`);
        await checkCharts(hc);
        notes.push(strict(await axeCheck(hc)));
      });

      // The office: this year's programme and its draft report.
      await withPage({ bypassCSP: true }, async (mod) => {
        const stamp = Date.now();
        await adminWithTotp(mod, `program-${stamp}@wierzbin.example`);
        await open(mod, '/panel/program');
        check((await mainText(mod)).includes('Terminy ustawowe'), 'no deadlines on the list');
        notes.push(strict(await axeCheck(mod)));
        const id = sql(state, `SELECT id FROM programmes WHERE slug = 'program-wspolpracy-${year}'`);
        await mod.locator(`main a[href="/panel/program/${id}"]`).click();
        await mod.waitForURL(new RegExp(`/panel/program/${id}$`));
        notes.push(strict(await axeCheck(mod)));
        await mod.locator(`main a[href="/panel/program/${id}/sprawozdanie/${year}"]`).click();
        await mod.waitForURL(new RegExp(`/sprawozdanie/${year}$`));
        await checkCharts(mod);
        notes.push(strict(await axeCheck(mod)));
        const manual = mod.locator('main input[id^="manual_"]').first();
        await mod.fill('#introduction', `Wstęp z testu przeglądarki ${stamp}.`);
        await manual.fill('dużo');
        await mod.locator('main form.profile-form button.button').click();
        await mod.waitForURL(new RegExp(`/sprawozdanie/${year}$`));
        await mod.waitForLoadState('load');
        check((await mod.locator('.error-summary').count()) === 1, 'an invalid manual value was accepted');
        check((await mod.inputValue('#introduction')).includes(String(stamp)), 'the narrative was not kept');
        notes.push(strict(await axeCheck(mod)));
        await mod.locator('main input[id^="manual_"]').first().fill('42');
        await mod.locator('main form.profile-form button.button').click();
        await mod.waitForURL(new RegExp(`/sprawozdanie/${year}$`));
        await mod.waitForLoadState('load');
        check((await mainText(mod)).includes(`Wstęp z testu przeglądarki ${stamp}.`), 'the saved introduction is not in the preview');
        notes.push(strict(await axeCheck(mod)));
        // The form of a new programme, emptied: errors by the fields.
        await open(mod, '/panel/program/nowy');
        await mod.fill('#title', '');
        await mod.fill('#year_from', '');
        await mod.locator('main form.profile-form button.button').click();
        await mod.waitForURL(/\/nowy$/);
        await mod.waitForLoadState('load');
        check((await mod.locator('.error-summary').count()) === 1, 'an empty programme was accepted');
        notes.push(strict(await axeCheck(mod)));
      });
      return notes.filter(Boolean).join('\n');
    }),
  { timeout: 180_000 });
}
