// The grants flow in the browser (issue 17): an official creates a call, is refused an
// announcement with too short a deadline, moves it and announces; an NGO owner registers an
// organisation and invites a second member; the two fill one offer together (different sections,
// then the same section: the conflict page, "keep mine"); the rules' notes appear next to their
// fields; the offer is submitted with its attachment; the receipt, the checksum, the e-mail, the
// PDF (checksum on every page) and the public verification agree; then the deadline passes and
// the official's formal check opens one correction round for two sections, the organisation
// corrects them and submits version 2, and the official records the offer complete.
// axe-core runs on every page on the way.

import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';

// A small but real PDF (the attachment's type is checked by its content).
const PDF_DOC = Buffer.from(
  '%PDF-1.4\n1 0 obj<</Type/Catalog/Pages 2 0 R>>endobj\n2 0 obj<</Type/Pages/Kids[]/Count 0>>endobj\n' +
    'trailer<</Root 1 0 R>>\n%%EOF\n',
  'latin1',
);

// The newest e-mail to `to` whose decoded text contains `needle` (quoted-printable and base64
// bodies decoded), waiting for the worker to deliver it.
async function mailText(state, to, needle, sleep) {
  const dir = path.join(state.dataDir, 'mail');
  for (let i = 0; i < 80; i++) {
    if (fs.existsSync(dir)) {
      const files = fs
        .readdirSync(dir)
        .filter((f) => f.endsWith('.eml'))
        .map((f) => ({ f, t: fs.statSync(path.join(dir, f)).mtimeMs }))
        .sort((a, b) => b.t - a.t);
      for (const { f } of files) {
        const raw = fs.readFileSync(path.join(dir, f), 'utf8');
        if (!raw.includes(to)) continue;
        let text = raw.replace(/=\r?\n/g, '');
        text = text.replace(/(?:=[0-9A-F]{2})+/g, (m) => {
          try {
            return Buffer.from(m.replace(/=/g, ''), 'hex').toString('utf8');
          } catch {
            return m;
          }
        });
        for (const b of raw.matchAll(/Content-Transfer-Encoding: base64\r?\n(?:[^\r\n]+\r?\n)*\r?\n([A-Za-z0-9+/=\r\n]+)/g)) {
          text += Buffer.from(b[1].replace(/\s+/g, ''), 'base64').toString('utf8');
        }
        if (text.includes(needle)) return text;
      }
    }
    await sleep(250);
  }
  return null;
}

// Runs one SQL statement on the server's database: `psql` for PostgreSQL, Python's sqlite3 for
// the SQLite file; returns the rows as lines of `|`-separated values. Used where the browser
// cannot go: to let a deadline pass, to find an offer's id, to make a person a member of a demo
// organisation (the demo has no NGO accounts), to copy a call.
export function sql(state, statement) {
  const pg = process.env.E2E_DATABASE_URL;
  const py = [
    'import sqlite3, sys',
    'c = sqlite3.connect(sys.argv[1], timeout=30)',
    'rows = c.execute(sys.argv[2]).fetchall()',
    'c.commit()',
    "print('\\n'.join('|'.join(str(v) for v in r) for r in rows))",
  ].join('\n');
  const out = pg
    ? spawnSync('psql', [pg, '-v', 'ON_ERROR_STOP=1', '-qAt', '-c', statement], { encoding: 'utf8' })
    : spawnSync('python3', ['-c', py, path.join(state.dataDir, 'wspolnie.db'), statement], { encoding: 'utf8' });
  if (out.status !== 0) throw new Error(`SQL failed (${statement}): ${out.stderr || out.error}`);
  return out.stdout.trim();
}

// Polish money as typed ("12 345,67") in grosze, and back.
const grosze = (s) => {
  const [z, g = '0'] = s.replace(/[\s\u00a0zł]/g, '').split(',');
  return Number(z) * 100 + Number(g.padEnd(2, '0').slice(0, 2));
};
const zl = (g) => `${Math.floor(g / 100)},${String(g % 100).padStart(2, '0')}`;

const squash = (s) => s.replace(/\s+/g, '');
// The text of <main> with the non-breaking spaces of Polish amounts as plain spaces.
const mainText = async (page) => (await page.locator('main').innerText()).replace(/[\u00a0\u202f]/g, ' ');

export function registerGrants(h) {
  const { test, check, state, url, newContext, runOnPage, withPage, open, axeCheck, signUpAndIn,
    adminWithTotp, approveNewest, mailLink, warsawParts, sleep } = h;
  const day = (n) => warsawParts(new Date(Date.now() + n * 86_400_000)).date;
  const save = async (page, waitFor) => {
    await page.locator('main form.profile-form button.button').click();
    await page.waitForURL(waitFor);
  };

  test('grants: call announced → two members fill one offer → submit, receipt, checksum, PDF → formal check with a correction (axe on each)', () =>
    withPage({ bypassCSP: true }, async (owner) => {
      const notes = [];
      const stamp = Date.now();
      const title = `Półkolonie nad Wierzbinką ${stamp}`;
      const modCtx = await newContext({ bypassCSP: true });
      const edCtx = await newContext({ bypassCSP: true });
      try {
        const mod = await modCtx.newPage();
        const ed = await edCtx.newPage();

        // 1. The official creates the call, first with a deadline 10 days away.
        let callPath = '';
        await runOnPage(mod, async () => {
          await adminWithTotp(mod, `grants-${stamp}@wierzbin.example`);
          await open(mod, '/panel/konkursy');
          notes.push(await axeCheck(mod));
          await open(mod, '/panel/konkursy/nowy');
          notes.push(await axeCheck(mod));
          await mod.locator('main form button.button').click();
          await mod.waitForLoadState('load');
          check((await mod.locator('.error-summary').count()) === 1, 'no error summary on an empty call form');
          notes.push(await axeCheck(mod));
          await mod.fill('#number', `WSS.524.${stamp % 1000}.2027`);
          await mod.fill('#title', `Wypoczynek dzieci ${stamp}`);
          await mod.selectOption('#sphere_code', '1');
          await mod.fill('#task_type', 'Wypoczynek letni dzieci i młodzieży w mieście');
          await mod.fill('#description', 'Półkolonie z **zajęciami** sportowymi i artystycznymi.');
          await mod.fill('#funds', '150 000,00');
          await mod.fill('#grant_rules', 'Dotacja do 90% kosztów zadania.');
          await mod.fill('#max_grant', '25 000');
          await mod.fill('#min_own', '10');
          await mod.check('#own_kinds');
          await mod.check('#own_kinds-personal');
          await mod.fill('#admin_cap', '12,5');
          await mod.check('#joint_allowed');
          await mod.check('#indicators_required');
          await mod.fill('#max_years', '1');
          await mod.fill('#required_attachments', 'Statut organizacji');
          await mod.fill('#execution_from', day(60));
          await mod.fill('#execution_to', day(150));
          await mod.fill('#execution_conditions', 'Zadanie realizowane na terenie gminy.');
          await mod.fill('#deadline_date', day(10));
          await mod.fill('#deadline_time', '15:30');
          await mod.fill('#selection_procedure', 'Komisja konkursowa ocenia oferty według kryteriów.');
          await mod.fill('#selection_date', day(50));
          await mod.fill('#criterion-1-name', 'Możliwość realizacji zadania');
          await mod.fill('#criterion-1-max_points', '10');
          await mod.fill('#criterion-1-weight', '2');
          await mod.fill('#criterion-2-name', 'Kalkulacja kosztów');
          await mod.fill('#criterion-2-max_points', '5');
          await mod.fill('#formal_checklist', 'Oferta złożona w terminie\nZałączony statut');
          await mod.fill('#correction_days', '7');
          await mod.fill('#contact_name', 'Wydział Spraw Społecznych');
          await mod.fill('#contact_email', 'dotacje@wierzbin.example');
          await mod.locator('main form button.button').click();
          await mod.waitForURL(/\/panel\/konkursy\/\d+$/);
          callPath = new URL(mod.url()).pathname;
          notes.push(await axeCheck(mod));
          // Announcing refuses a deadline under 21 days and names the earliest date.
          await mod.locator('#move-announce').click();
          await mod.waitForLoadState('load');
          check((await mod.locator('.error-summary').count()) === 1, 'announcing with a 10-day deadline was not refused');
          check((await mod.locator('main').innerText()).includes('najwcześniej'), 'the refusal does not name the earliest date');
          notes.push(await axeCheck(mod));
          await open(mod, `${callPath}/edycja`);
          notes.push(await axeCheck(mod));
          await mod.fill('#deadline_date', day(30));
          await mod.locator('main form button.button').click();
          await mod.waitForURL(new RegExp(`${callPath}$`));
          await mod.locator('#move-announce').click();
          await mod.waitForURL(new RegExp(`${callPath}$`));
          check((await mod.locator('.error-summary').count()) === 0, 'the call with a 30-day deadline was not announced');
          notes.push(await axeCheck(mod));
        });
        const callId = callPath.split('/').pop();

        // 2. The owner registers an organisation, the official approves it.
        await signUpAndIn(owner, `grants-owner-${stamp}@example.pl`, 'hasło prezeski e2e', 'Olga Oferentka');
        await open(owner, '/panel/organizacje/nowa');
        const orgName = `Stowarzyszenie Wakacje ${stamp}`;
        const orgMail = `biuro-${stamp}@wakacje.example.org`;
        await owner.fill('#name', orgName);
        await owner.fill('#short_description', 'Organizujemy półkolonie i wyjazdy dla dzieci z rodzin z Wierzbina.');
        await owner.selectOption('#legal_form', 'stowarzyszenie');
        await owner.fill('#email', orgMail);
        await owner.fill('#phone', '600 500 400');
        await owner.fill('#street', 'ul. Letnia 3');
        await owner.fill('#postal_code', '12-345');
        await owner.check('#leading-16');
        await owner.locator('main form.profile-form button[type="submit"]').click();
        await owner.waitForURL(/\/panel\/organizacje$/);
        await runOnPage(mod, () => approveNewest(mod, orgName, notes, { axe: false }));

        // 3. The owner invites a second member, who accepts and signs in.
        const edMail = `grants-editor-${stamp}@example.pl`;
        await open(owner, '/panel/organizacje');
        const invite = owner.locator(`main section:has-text("${orgName}") form[action$="/zaproszenie"]`);
        await invite.locator('input[type="email"]').fill(edMail);
        await invite.locator('button').click();
        await owner.waitForLoadState('load');
        await runOnPage(ed, async () => {
          await open(ed, await mailLink('/konto/zaproszenie?t=', edMail));
          await ed.fill('#name', 'Edward Edytor');
          await ed.fill('#password', 'hasło edytora e2e');
          await ed.fill('#password_confirm', 'hasło edytora e2e');
          await ed.locator('main form button.button').click();
          await ed.waitForURL(/\/konto\/logowanie/);
          await ed.fill('#email', edMail);
          await ed.fill('#password', 'hasło edytora e2e');
          await ed.locator('main form button[type="submit"]').click();
          await ed.waitForURL(/\/panel$/);
        });

        // 4. The owner starts the offer in the new call.
        await open(owner, '/panel/oferty');
        notes.push(await axeCheck(owner));
        const start = owner.locator(`main li:has-text("Wypoczynek dzieci ${stamp}") a[href*="nowa?konkurs="]`);
        await open(owner, await start.getAttribute('href'));
        notes.push(await axeCheck(owner));
        await owner.locator('main form button.button').click();
        await owner.waitForURL(/\/panel\/oferty\/\d+$/);
        const offerPath = new URL(owner.url()).pathname;
        const offerId = offerPath.split('/').pop();
        const sec = (code) => `${offerPath}/sekcja/${code}`;
        notes.push(await axeCheck(owner));

        // 5. Together: the owner writes II, III.1–3, III.4 and VII while the editor writes
        // III.5–6, IV and V.A from pages opened at the same moment.
        await open(owner, sec('oferenci'));
        await open(ed, sec('rezultaty'));
        check((await owner.inputValue('#lead_name')) === orgName, 'the lead offeror is not prefilled from the profile');
        await owner.fill('#contact_person', 'Olga Oferentka');
        await owner.fill('#contact_email', `grants-owner-${stamp}@example.pl`);
        await ed.fill('#expected', 'Czterdzieścioro dzieci spędzi aktywnie dwa tygodnie wakacji.');
        await ed.fill('#indicator-1-result', 'Uczestnicy półkolonii');
        await ed.fill('#indicator-1-planned_value', '40');
        await ed.fill('#indicator-1-monitoring', 'Lista obecności');
        await Promise.all([save(owner, new RegExp(`${sec('oferenci')}$`)), save(ed, new RegExp(`${sec('rezultaty')}$`))]);
        notes.push(await axeCheck(owner));
        notes.push(await axeCheck(ed));

        await open(owner, sec('zadanie'));
        await owner.fill('#title', title);
        await owner.fill('#start_date', day(61));
        await owner.fill('#end_date', day(90));
        await owner.fill('#summary', 'Dwa turnusy półkolonii dla dzieci z Wierzbina: sport, warsztaty, wycieczki.');
        await owner.fill('#place', 'Szkoła Podstawowa nr 2 w Wierzbinie');
        await save(owner, new RegExp(`${sec('zadanie')}$`));
        await open(owner, sec('dzialania'));
        notes.push(await axeCheck(owner));
        await owner.fill('#action-1-name', 'Półkolonie');
        await owner.fill('#action-1-description', 'Dwa turnusy po pięć dni zajęć.');
        await owner.fill('#action-1-target_group', 'Dzieci w wieku 7–12 lat');
        await save(owner, new RegExp(`${sec('dzialania')}$`));

        await open(ed, sec('zasoby'));
        await ed.fill('#earlier_activity', 'Od 2015 roku prowadzimy półkolonie w Wierzbinie.');
        await ed.fill('#resources', 'Dwoje wychowawców z uprawnieniami, sala gimnastyczna.');
        await save(ed, new RegExp(`${sec('zasoby')}$`));
        await open(ed, sec('koszty'));
        notes.push(await axeCheck(ed));
        await ed.selectOption('#cost-1-action', 'a0');
        await ed.fill('#cost-1-kind', 'Wynagrodzenie wychowawców');
        await ed.fill('#cost-1-unit', 'godz.');
        await ed.fill('#cost-1-unit_cost', '100,00');
        await ed.fill('#cost-1-units', '190');
        await ed.selectOption('#cost-2-action', 'admin');
        await ed.fill('#cost-2-kind', 'Obsługa księgowa');
        await ed.fill('#cost-2-unit', 'mies.');
        await ed.fill('#cost-2-unit_cost', '500');
        await ed.fill('#cost-2-units', '2');
        await save(ed, new RegExp(`${sec('koszty')}$`));
        check((await mainText(ed)).includes('20 000,00'), 'the cost total (20 000,00) is not computed on the server');

        // A grant above the call's maximum: the note is shown next to its field.
        await open(owner, sec('zrodla'));
        await owner.fill('#grant', '30 000');
        await owner.fill('#own_financial', '2 000,00');
        await save(owner, new RegExp(`${sec('zrodla')}$`));
        await open(owner, offerPath);
        const overview = await owner.locator('#uwagi ~ ul').allInnerTexts();
        check(overview.join(' ').length > 0, 'the overview lists no notes for an offer above the maximum');
        check((await owner.locator('main form[action$="/zloz"]').count()) === 0, 'an offer with notes can be submitted');
        notes.push(await axeCheck(owner));
        await open(owner, sec('zrodla'));
        check((await owner.locator('#grant-note').count()) === 1, 'no note next to the grant field');
        check(((await owner.getAttribute('#grant', 'aria-describedby')) || '').includes('grant-note'), 'the note is not tied to the field');
        notes.push(await axeCheck(owner));
        await owner.fill('#grant', '18 000');
        await save(owner, new RegExp(`${sec('zrodla')}$`));
        check((await owner.locator('#grant-note').count()) === 0, 'the note stays after the grant was lowered');

        // The same section saved by both from the same version: the conflict page shows both.
        await open(owner, sec('inne'));
        await open(ed, sec('inne'));
        await owner.fill('#text', 'Promocja: plakaty w szkołach.');
        await ed.fill('#text', 'Ryzyko: niska frekwencja — zapisy z wyprzedzeniem.');
        await save(owner, new RegExp(`${sec('inne')}$`));
        await ed.locator('main form.profile-form button.button').click();
        await ed.waitForLoadState('load');
        const conflict = await ed.locator('main').innerText();
        check(conflict.includes('Promocja: plakaty w szkołach.') && conflict.includes('Ryzyko: niska frekwencja'),
          'the conflict page does not show both versions');
        notes.push(await axeCheck(ed));
        await ed.locator(`main form[action$="/sekcja/inne"] button.button`).click();
        await ed.waitForURL(new RegExp(`${sec('inne')}$`));
        check((await ed.inputValue('#text')).startsWith('Ryzyko'), '"keep mine" did not keep the editor\'s text');

        await open(owner, sec('oswiadczenia'));
        notes.push(await axeCheck(owner));
        for (const box of await owner.locator('main input[name="confirmed"]').all()) await box.check();
        await save(owner, new RegExp(`${sec('oswiadczenia')}$`));
        await open(owner, `${offerPath}/zalaczniki`);
        notes.push(await axeCheck(owner));
        await owner.check('#attachment');
        await owner.setInputFiles('#file', { name: 'statut.pdf', mimeType: 'application/pdf', buffer: PDF_DOC });
        await owner.locator('main form[enctype] button.button').click();
        await owner.waitForURL(new RegExp(`${offerPath}/zalaczniki$`));
        check((await owner.locator('main table a', { hasText: 'statut.pdf' }).count()) === 1, 'the attachment is not listed');

        // 6. Submission: the receipt with the checksum and the short code.
        await open(owner, offerPath);
        const left = await owner.locator('#uwagi ~ ul').allInnerTexts();
        check(left.length === 0, `notes left before submission: ${left.join(' | ')}`);
        await owner.locator('main form[action$="/zloz"] button').click();
        await owner.waitForURL(new RegExp(`${offerPath}/wersje/1$`));
        notes.push(await axeCheck(owner));
        const checksum = squash(await owner.locator('#checksum').innerText());
        const shortCode = (await owner.locator('#short-code').innerText()).trim();
        check(/^[0-9a-f]{64}$/.test(checksum), `no SHA-256 on the receipt: ${checksum}`);
        const mail = await mailText(state, `grants-owner-${stamp}@example.pl`, shortCode, sleep);
        check(mail && squash(mail).includes(checksum), 'the confirmation e-mail lacks the checksum');

        // The PDF (rendered by a job): the checksum on every page.
        const pdfPath = `${offerPath}/wersje/1/oferta.pdf`;
        let pdf = null;
        for (let i = 0; i < 120 && !pdf; i++) {
          const res = await owner.request.get(url(pdfPath));
          if ((res.headers()['content-type'] || '').startsWith('application/pdf')) pdf = await res.body();
          else await sleep(500);
        }
        check(pdf, 'the offer PDF was not rendered within 60 s');
        const text = spawnSync('pdftotext', ['-', '-'], { input: pdf });
        check(text.status === 0, `pdftotext failed: ${text.stderr}`);
        const pages = text.stdout.toString('utf8').split('\f').filter((p) => p.trim());
        check(pages.length >= 2, `the PDF has ${pages.length} page(s)`);
        const without = pages.filter((p) => !squash(p).includes(checksum.slice(0, 16)));
        check(without.length === 0, `${without.length} of ${pages.length} PDF pages lack the checksum`);

        // Anyone can check a printout by its short code.
        await withPage({ bypassCSP: true }, async (page) => {
          await open(page, `/konkursy/weryfikacja?kod=${encodeURIComponent(shortCode)}`);
          check((await page.locator('main').innerText()).includes(title), 'the verification does not find the offer');
          notes.push(await axeCheck(page));
        });
        // The editor sees the submitted offer and its receipt too.
        await open(ed, `${offerPath}/wersje/1`);

        // 7. The deadline passes (the call's deadline is set to that of the demo's closed call);
        // the formal check asks for a correction of V.A and V.B.
        sql(state, `UPDATE grant_calls SET offer_deadline = (SELECT d FROM (SELECT offer_deadline AS d FROM grant_calls WHERE slug = 'zajecia-sportowe-dla-dzieci') AS x), status = 'closed' WHERE id = ${Number(callId)}`);
        const checkPath = `${callPath}/oferty/${offerId}`;
        await runOnPage(mod, async () => {
          await open(mod, `${callPath}/oferty`);
          check((await mod.locator('main').innerText()).includes(title), 'the offer is not in the formal-check list');
          notes.push(await axeCheck(mod));
          await open(mod, checkPath);
          notes.push(await axeCheck(mod));
          // The official opens the attachment (members and officials only; never a public address).
          const file = await mod.locator('main a', { hasText: 'statut.pdf' }).getAttribute('href');
          check(/^\/panel\/oferty\/\d+\/zalaczniki\/\d+$/.test(file), `the attachment link is ${file}`);
          const got = await mod.request.get(url(file));
          check(got.status() === 200 && (await got.body()).subarray(0, 5).toString() === '%PDF-', 'the official cannot open the attachment');
          await mod.check('#item-1');
          await mod.check('#item-2-no');
          await mod.check('#result-deficient');
          await mod.locator('main form button.button').click();
          await mod.waitForLoadState('load');
          check((await mod.locator('.error-summary').count()) === 1, 'a deficiency without a description was accepted');
          notes.push(await axeCheck(mod));
          await mod.fill('#deficiencies', 'Proszę obniżyć koszt wychowawców do 180 godzin i odpowiednio dotację.');
          await mod.check('#sections-koszty');
          await mod.check('#sections-zrodla');
          await mod.locator('main form button.button').click();
          await mod.waitForURL(new RegExp(`${callPath}/oferty$`));
        });
        check(await mailText(state, orgMail, 'obniżyć koszt wychowawców', sleep), 'the organisation was not e-mailed the deficiencies');

        // 8. The correction: only the listed sections can change.
        await open(owner, sec('zadanie'));
        check((await owner.locator('main form.profile-form').count()) === 0, 'a section outside the correction is editable');
        await open(ed, sec('koszty'));
        await ed.fill('#cost-1-units', '180');
        await save(ed, new RegExp(`${sec('koszty')}$`));
        await open(owner, sec('zrodla'));
        await owner.fill('#grant', '17 000');
        await save(owner, new RegExp(`${sec('zrodla')}$`));
        await open(owner, offerPath);
        notes.push(await axeCheck(owner));
        await owner.locator('main form[action$="/zloz"] button').click();
        await owner.waitForURL(new RegExp(`${offerPath}/wersje/2$`));
        const checksum2 = squash(await owner.locator('#checksum').innerText());
        check(checksum2 !== checksum, 'the corrected version has the same checksum');

        // 9. Complete.
        await runOnPage(mod, async () => {
          await open(mod, checkPath);
          check((await mod.locator('#result-deficient').count()) === 0, 'a second correction round is offered');
          await mod.check('#item-1');
          await mod.check('#item-2');
          await mod.check('#result');
          await mod.locator('main form button.button').click();
          await mod.waitForURL(new RegExp(`${callPath}/oferty$`));
          notes.push(await axeCheck(mod));
        });
        check(await mailText(state, orgMail, 'spełnia wymogi', sleep), 'the organisation was not e-mailed the result');
        await open(owner, offerPath);
        notes.push(await axeCheck(owner));
      } finally {
        await modCtx.close().catch(() => {});
        await edCtx.close().catch(() => {});
      }
      return notes.filter(Boolean).join('\n');
    }),
  { timeout: 300_000 });


  test('grants: commission — rules, a nomination, three members (one recuses), statements, score cards, opinion, protocol, decision, results, a reduced grant updated (axe on each)', () =>
    withPage({ bypassCSP: true }, async (ngo) => {
      const notes = [];
      const stamp = Date.now();
      const modCtx = await newContext({ bypassCSP: true });
      const nomCtx = await newContext({ bypassCSP: true });
      const thirdCtx = await newContext({ bypassCSP: true });
      try {
        const mod = await modCtx.newPage();
        const nom = await nomCtx.newPage();
        const third = await thirdCtx.newPage();
        const modMail = `komisja-${stamp}@wierzbin.example`;
        const nomMail = `kandydatka-${stamp}@example.pl`;
        const thirdMail = `trzeci-${stamp}@wierzbin.example`;
        let base = '';
        // The office sets the commission's rules of the demo's closed call (bad input first).
        await runOnPage(mod, async () => {
          await adminWithTotp(mod, modMail);
          await open(mod, '/panel/konkursy');
          const href = await mod.locator('main a', { hasText: 'Zajęcia sportowe dla dzieci' }).first().getAttribute('href');
          base = `${href}/komisja`;
          await open(mod, base);
          notes.push(await axeCheck(mod));
          const rules = mod.locator('main form[action$="/komisja/zasady"]');
          await mod.fill('#min_score', 'dużo');
          await rules.locator('button').click();
          await mod.waitForLoadState('load');
          check((await mod.locator('#min_score-error').count()) === 1, 'no error next to the minimum score');
          notes.push(await axeCheck(mod));
          await mod.fill('#nominations_date', day(3));
          await mod.fill('#nominations_time', '15:00');
          await mod.fill('#min_score', '5');
          await mod.locator('main form[action$="/komisja/zasady"] button').click();
          await mod.waitForURL(new RegExp(`${base}$`));
        });

        // An organisation nominates a person.
        await signUpAndIn(ngo, `komisja-ngo-${stamp}@example.pl`, 'hasło wolontariuszki e2e', 'Nina Nominująca');
        await open(ngo, '/panel/organizacje/nowa');
        const orgName = `Fundacja Bezstronna ${stamp}`;
        await ngo.fill('#name', orgName);
        await ngo.fill('#short_description', 'Wspieramy rodziny z dziećmi i uczymy bezpiecznego pływania w Wierzbinie.');
        await ngo.selectOption('#legal_form', 'fundacja');
        await ngo.fill('#email', `biuro-${stamp}@bezstronna.example.org`);
        await ngo.fill('#phone', '600 700 800');
        await ngo.fill('#street', 'ul. Spokojna 1');
        await ngo.fill('#postal_code', '12-345');
        await ngo.check('#leading-16');
        await ngo.locator('main form.profile-form button[type="submit"]').click();
        await ngo.waitForURL(/\/panel\/organizacje$/);
        await runOnPage(mod, () => approveNewest(mod, orgName, notes, { axe: false }));
        await open(ngo, '/panel/komisje');
        notes.push(await axeCheck(ngo));
        await ngo.locator('main form[action="/panel/komisje/zgloszenia"] button').click();
        await ngo.waitForLoadState('load');
        check((await ngo.locator('.error-summary').count()) === 1, 'an empty nomination was accepted');
        notes.push(await axeCheck(ngo));
        await ngo.fill('#name', 'Kinga Kandydatka');
        await ngo.fill('#email', nomMail);
        await ngo.locator('main form[action="/panel/komisje/zgloszenia"] button').click();
        await ngo.waitForURL(/\/panel\/komisje$/);
        check((await ngo.locator('main').innerText()).includes('Kinga Kandydatka'), 'the nomination is not listed');

        // The office appoints itself as chair and the nominee, and starts scoring.
        await runOnPage(mod, async () => {
          await open(mod, base);
          await mod.check('#kind');
          await mod.fill('#name', 'Przewodnicząca E2E');
          await mod.fill('#email', modMail);
          await mod.check('#chair');
          await mod.locator('main form[action$="/komisja/czlonkowie"] button').click();
          await mod.waitForURL(new RegExp(`${base}$`));
          await mod.locator('main tr:has-text("Kinga Kandydatka") button[value="appoint"]').click();
          await mod.waitForURL(new RegExp(`${base}$`));
          // A third member, appointed by address before they have an account.
          await mod.check('#kind');
          await mod.fill('#name', 'Olgierd Trzeci');
          await mod.fill('#email', thirdMail);
          await mod.locator('main form[action$="/komisja/czlonkowie"] button').click();
          await mod.waitForURL(new RegExp(`${base}$`));
          check((await mod.locator('main').innerText()).includes('Olgierd Trzeci'), 'the third member is not listed');
          notes.push(await axeCheck(mod));
          await mod.locator('main form[action$="/komisja/status"] button').first().click();
          await mod.waitForURL(new RegExp(`${base}$`));
          check((await mod.locator('main').innerText()).includes('ocena ofert'), 'scoring did not start');
        });

        // A member: the statement, then the card (out-of-scale points refused), then submitted.
        const scoreAll = async (page, value) => {
          await open(page, '/panel/komisje');
          notes.push(await axeCheck(page));
          await page.locator('main form[action$="/oswiadczenie"] input[name="confirm"]').check();
          await page.locator('main form[action$="/oswiadczenie"] button').click();
          await page.waitForURL(/\/panel\/komisje$/);
          await page.locator('main a[href*="/oferty/"]').first().click();
          await page.waitForURL(/\/panel\/komisje\/\d+\/oferty\/\d+$/);
          notes.push(await axeCheck(page));
          const boxes = page.locator('main input[name^="points-"]');
          const n = await boxes.count();
          check(n >= 2, 'the card has no criteria');
          await page.fill('#points-1', '999');
          await page.locator('main button[value="submit"]').click();
          await page.waitForLoadState('load');
          check((await page.locator('#points-1-error').count()) === 1, 'out-of-scale points accepted');
          notes.push(await axeCheck(page));
          for (let i = 1; i <= n; i++) await page.fill(`#points-${i}`, String(value));
          await page.fill('#comment-1', 'Realny harmonogram, doświadczona kadra.');
          await page.locator('main button[value="submit"]').click();
          await page.waitForURL(/\/panel\/komisje\/\d+\/oferty\/\d+$/);
        };
        await signUpAndIn(nom, nomMail, 'hasło kandydatki e2e', 'Kinga Kandydatka');
        await runOnPage(nom, () => scoreAll(nom, 2));
        // The third member states impartiality, then recuses from the offer with a reason.
        await signUpAndIn(third, thirdMail, 'hasło trzeciego członka e2e', 'Olgierd Trzeci');
        await runOnPage(third, async () => {
          await open(third, '/panel/komisje');
          await third.locator('main form[action$="/oswiadczenie"] input[name="confirm"]').check();
          await third.locator('main form[action$="/oswiadczenie"] button').click();
          await third.waitForURL(/\/panel\/komisje$/);
          await third.locator('main a[href*="/oferty/"]').first().click();
          await third.waitForURL(/\/panel\/komisje\/\d+\/oferty\/\d+$/);
          await third.locator('main form[action$="/wylaczenie"] button').click();
          await third.waitForLoadState('load');
          check((await third.locator('#reason-error').count()) === 1, 'a recusal without a reason was accepted');
          notes.push(await axeCheck(third));
          await third.fill('#reason', 'Jestem członkiem zarządu organizacji, która złożyła tę ofertę.');
          await third.locator('main form[action$="/wylaczenie"] button').click();
          await third.waitForURL(/\/panel\/komisje\/\d+\/oferty\/\d+$/);
          await open(third, '/panel/komisje');
          check((await third.locator('main').innerText()).includes('wyłączenie'), 'the recusal is not shown');
          notes.push(await axeCheck(third));
        });
        await runOnPage(mod, async () => {
          await scoreAll(mod, 1);
          check((await mod.locator('main').innerText()).includes('Karty pozostałych członków'), 'the other card is not shown after one\'s own');
          notes.push(await axeCheck(mod));
          // Scoring closes; the opinion, the protocol, the decision.
          await open(mod, base);
          await mod.locator('main form[action$="/komisja/status"] input[value="opinion"] ~ button').click();
          await mod.waitForURL(new RegExp(`${base}$`));
          notes.push(await axeCheck(mod));
          const amount = mod.locator('main input[name^="amount-"]').first();
          await amount.fill('1 000,00');
          await mod.locator('main form[action$="/komisja/opinia"] button').click();
          await mod.waitForURL(new RegExp(`${base}$`));
          const pdf = await mod.request.get(url(`${base}/protokol.pdf`));
          const protocol = await pdf.body();
          check(pdf.status() === 200 && protocol.subarray(0, 5).toString() === '%PDF-', 'no protocol PDF');
          const read = spawnSync('pdftotext', ['-', '-'], { input: protocol });
          check(read.status === 0, `pdftotext failed: ${read.stderr}`);
          const protocolText = read.stdout.toString('utf8');
          for (const needle of ['Protokół komisji konkursowej', 'Przewodnicząca E2E', 'Olgierd Trzeci', 'Jestem członkiem zarządu organizacji']) {
            check(squash(protocolText).includes(squash(needle)), `the protocol lacks "${needle}"`);
          }
          // E2E_KEEP=dir keeps the protocol for a person to look at (e.g. rendered with pdftoppm).
          if (process.env.E2E_KEEP) fs.writeFileSync(path.join(process.env.E2E_KEEP, `protokol-${process.env.E2E_DATABASE_URL ? 'postgresql' : 'sqlite'}.pdf`), protocol);
          await mod.locator('main form[action$="/komisja/status"] input[value="concluded"] ~ button').click();
          await mod.waitForURL(new RegExp(`${base}$`));
          const decide = base.replace('/komisja', '/rozstrzygniecie');
          await open(mod, decide);
          notes.push(await axeCheck(mod));
          await mod.locator('main form[action$="/rozstrzygniecie"] button').click();
          await mod.waitForURL(new RegExp(`${decide}$`));
          check((await mod.locator('main').innerText()).includes('Wyniki konkursu'), 'no results after the decision');
          notes.push(await axeCheck(mod));
          // The chair's progress table and the officer's overview of every offer.
          await open(mod, '/panel/komisje');
          check((await mod.locator('main').innerText()).includes('Postęp oceny'), 'the chair sees no progress table');
          notes.push(await axeCheck(mod));
          await open(mod, '/panel/konkursy/przeglad');
          check((await mod.locator('main table').count()) === 1, 'the overview lists no offers');
          notes.push(await axeCheck(mod));
        });

        // The opinion gave 1 000 zł, less than asked: that offer's organisation updates its budget.
        const offerId = Number(sql(state, "SELECT id FROM grant_offers WHERE status = 'updating' ORDER BY id LIMIT 1"));
        check(offerId > 0, 'no offer waits for an update after a reduced grant');
        sql(state, `INSERT INTO organization_members (organization_id, user_id, role, created_at)
          SELECT o.organization_id, u.id, 'owner', '${new Date().toISOString()}' FROM grant_offers o, users u
          WHERE o.id = ${offerId} AND u.email = 'komisja-ngo-${stamp}@example.pl'`);
        const offerPath = `/panel/oferty/${offerId}`;
        await open(ngo, offerPath);
        check((await mainText(ngo)).includes('Przyznano niższą dotację'), 'the organisation is not told to update its offer');
        check((await ngo.locator('main [aria-current="step"]').count()) === 1, 'no current step on the offer page');
        notes.push(await axeCheck(ngo));
        await open(ngo, `${offerPath}/sekcja/zrodla`);
        const asked = grosze(await ngo.inputValue('#grant'));
        const own = grosze(await ngo.inputValue('#own_financial'));
        await ngo.fill('#grant', '1 000,00');
        await ngo.fill('#own_financial', zl(own + asked - 100_000));
        await save(ngo, new RegExp(`${offerPath}/sekcja/zrodla$`));
        notes.push(await axeCheck(ngo));
        await open(ngo, offerPath);
        await ngo.locator('main form[action$="/zloz"] button').click();
        await ngo.waitForURL(new RegExp(`${offerPath}/wersje/\\d+$`));
        // The office compares the update with the offer; a return without a note is refused.
        await runOnPage(mod, async () => {
          await open(mod, '/panel/konkursy/przeglad');
          await mod.locator('main a[href$="/aktualizacja"]').first().click();
          await mod.waitForURL(/\/aktualizacja$/);
          check((await mainText(mod)).includes('1 000,00 zł'), 'the review does not show the grant after the update');
          notes.push(await axeCheck(mod));
          await mod.locator('#update-return').click();
          await mod.waitForLoadState('load');
          check((await mod.locator('#note-error').count()) === 1, 'a return without a note was accepted');
          notes.push(await axeCheck(mod));
          await mod.locator('#update-accept').click();
          await mod.waitForURL(/\/aktualizacja$/);
          check((await mainText(mod)).includes('przyznano dotację'), 'the update was not accepted');
          notes.push(await axeCheck(mod));
        });
        const orgMail = sql(state, `SELECT g.email FROM organizations g JOIN grant_offers o ON o.organization_id = g.id WHERE o.id = ${offerId}`);
        check(await mailText(state, orgMail, 'przyjął aktualizację', sleep), 'the organisation was not e-mailed the acceptance');
        await open(ngo, offerPath);
        check((await mainText(ngo)).includes('Umowa (trwa)'), 'the offer page does not show the contract as the next step');
        notes.push(await axeCheck(ngo));
        // The results are public at once.
        await withPage({ bypassCSP: true }, async (page) => {
          await open(page, '/konkursy/zajecia-sportowe-dla-dzieci');
          check((await page.locator('#wyniki').count()) === 1, 'the call page has no results');
          notes.push(await axeCheck(page));
        });
      } finally {
        await modCtx.close().catch(() => {});
        await nomCtx.close().catch(() => {});
        await thirdCtx.close().catch(() => {});
      }
      return notes.filter(Boolean).join('\n');
    }),
  { timeout: 300_000 });

  test('grants: annulment — a closed call without offers, a ground that fails, the right ground, the published notice (axe on each)', () =>
    withPage({ bypassCSP: true }, async (mod) => {
      const notes = [];
      const stamp = Date.now();
      const slug = `zimowiska-bez-ofert-${stamp}`;
      const title = `Zimowiska bez ofert ${stamp}`;
      // A copy of the demo's closed call, its deadline past, with no offers at all.
      sql(state, `INSERT INTO grant_calls (slug, number, title, status, sphere_code, task_type, description_md, funds_available, grant_rules_md, execution_from, execution_to, execution_conditions_md, offers_from, offer_deadline, selection_procedure_md, selection_date, prior_funding, criteria, formal_checklist, max_grant, min_own_bp, own_kinds, fees_allowed, admin_cap_bp, max_years, joint_allowed, indicators_required, required_attachments, correction_days, form_version, contact_name, contact_email, announced_at, created_at, updated_at, version)
        SELECT '${slug}', 'E2E.524.${stamp % 1000}.2027', '${title}', 'closed', sphere_code, task_type, description_md, funds_available, grant_rules_md, execution_from, execution_to, execution_conditions_md, offers_from, offer_deadline, selection_procedure_md, selection_date, prior_funding, criteria, formal_checklist, max_grant, min_own_bp, own_kinds, fees_allowed, admin_cap_bp, max_years, joint_allowed, indicators_required, required_attachments, correction_days, form_version, contact_name, contact_email, announced_at, created_at, updated_at, version
        FROM grant_calls WHERE slug = 'zajecia-sportowe-dla-dzieci'`);
      await adminWithTotp(mod, `uniewaznienie-${stamp}@wierzbin.example`);
      await open(mod, '/panel/konkursy');
      await mod.locator('main a', { hasText: title }).first().click();
      await mod.waitForURL(/\/panel\/konkursy\/\d+$/);
      const callPage = new URL(mod.url()).pathname;
      notes.push(await axeCheck(mod));
      const form = mod.locator('main form:has(#ground)');
      // "No valid offer" does not hold where no offer came in: refused next to the ground.
      await mod.check('#ground-invalid');
      await form.locator('button').click();
      await mod.waitForLoadState('load');
      check((await mod.locator('#ground-error').count()) === 1, 'a ground that does not hold was accepted');
      check(await mod.isChecked('#ground-invalid'), 'the chosen ground was not kept');
      notes.push(await axeCheck(mod));
      await mod.check('#ground');
      await mod.fill('#reason', 'Do końca terminu nie wpłynęła żadna oferta.');
      await mod.locator('main form:has(#ground) button').click();
      await mod.waitForURL(new RegExp(`${callPage}$`));
      check((await mainText(mod)).includes('unieważniony'), 'the call is not shown as annulled');
      notes.push(await axeCheck(mod));
      await withPage({ bypassCSP: true }, async (page) => {
        await open(page, `/konkursy/${slug}`);
        check((await page.locator('#uniewaznienie').count()) === 1, 'the call page has no annulment notice');
        check((await mainText(page)).includes('art. 18a ust. 1 pkt 1'), 'the ground is not published');
        notes.push(await axeCheck(page));
        const pdf = await page.request.get(url(`/konkursy/${slug}/wyniki.pdf`));
        check(pdf.status() === 200 && (await pdf.body()).subarray(0, 5).toString() === '%PDF-', 'no annulment PDF');
        const atom = await (await page.request.get(url('/konkursy.atom'))).text();
        check(atom.includes(`${slug}#uniewaznienie`), 'the annulment is not in the Atom feed');
      });
      return notes.filter(Boolean).join('\n');
    }),
  { timeout: 120_000 });

  test('grants: contract — prepared from a granted offer (a wrong account refused), sent, signed, a tranche paid, an annex, the final report over the tolerance returned and accepted, the settlement and a return, the PDF; the model contract (axe on each)', () =>
    withPage({ bypassCSP: true }, async (mod) => {
      const notes = [];
      const stamp = Date.now();
      await adminWithTotp(mod, `umowy-${stamp}@wierzbin.example`);
      await open(mod, '/panel/umowy');
      notes.push(await axeCheck(mod));
      const prepare = mod.locator('main a[href^="/panel/umowy/nowa?oferta="]').first();
      check((await prepare.count()) === 1, 'no granted offer waits for a contract');
      await prepare.click();
      await mod.waitForURL(/\/panel\/umowy\/nowa\?oferta=\d+$/);
      notes.push(await axeCheck(mod));
      const amount = await mod.inputValue('#amount');
      check(grosze(amount) > 0, `the amount granted is not prefilled: ${amount}`);
      await mod.fill('#number', `E2E.526.${stamp % 1000}.2027`);
      await mod.fill('#bank_account', '61 1090 1014 0000 0712 1981 2875');
      await mod.locator('main form.profile-form button.button').click();
      await mod.waitForLoadState('load');
      check((await mod.locator('#bank_account-error').count()) === 1, 'a wrong account number was accepted');
      check((await mod.inputValue('#bank_account')) === '61 1090 1014 0000 0712 1981 2875', 'the account was not kept as typed');
      notes.push(await axeCheck(mod));
      await mod.fill('#bank_account', '61 1090 1014 0000 0712 1981 2874');
      await mod.locator('main form.profile-form button.button').click();
      await mod.waitForURL(/\/panel\/umowy\/\d+$/);
      notes.push(await axeCheck(mod));
      await mod.locator('#move-sent').click();
      await mod.waitForURL(/\/panel\/umowy\/\d+$/);
      await mod.check('#how-electronic');
      await mod.locator('#move-signed').click();
      await mod.waitForURL(/\/panel\/umowy\/\d+$/);
      check((await mainText(mod)).includes('podpisana'), 'the contract is not shown as signed');
      notes.push(await axeCheck(mod));
      await mod.fill('#paid-1', day(0));
      await mod.locator('main form[action$="/transze/1"] button').click();
      await mod.waitForURL(/\/panel\/umowy\/\d+$/);
      check((await mainText(mod)).includes('w realizacji'), 'the first tranche paid did not start the contract');
      notes.push(await axeCheck(mod));
      const contractPath = new URL(mod.url()).pathname;
      const contractId = contractPath.split('/').pop();
      // An annex moves 1 zł of grant from line 2 to line 1 (its reason asked for first).
      await open(mod, `${contractPath}/aneks`);
      notes.push(await axeCheck(mod));
      const g1 = grosze(await mod.inputValue('#line-1-grant'));
      const g2 = grosze(await mod.inputValue('#line-2-grant'));
      const v1 = grosze(await mod.inputValue('#line-1-value'));
      check(g2 >= 100, `line 2 has no grant to move: ${g2}`);
      await mod.fill('#line-1-grant', zl(g1 + 100));
      if (v1 < g1 + 100) await mod.fill('#line-1-value', zl(g1 + 100));
      await mod.fill('#line-2-grant', zl(g2 - 100));
      await mod.check('#how');
      await mod.locator('#annex-save').click();
      await mod.waitForLoadState('load');
      check((await mod.locator('#reason-error').count()) === 1, 'an annex without its reason was accepted');
      check((await mod.inputValue('#line-2-grant')) === zl(g2 - 100), 'the annex form lost what was typed');
      notes.push(await axeCheck(mod));
      await mod.fill('#reason', 'Wniosek organizacji o przesunięcie środków.');
      await mod.locator('#annex-save').click();
      await mod.waitForURL(/\/aneksy\/1$/);
      check((await mainText(mod)).includes('Było'), 'the annex does not list its changes');
      notes.push(await axeCheck(mod));
      // The admin also joins the organisation (the demo has no NGO accounts) to fill its report.
      const [adminId] = sql(state, `SELECT id FROM users WHERE email = 'umowy-${stamp}@wierzbin.example'`).split('\n');
      const [orgId] = sql(state, `SELECT organization_id FROM grant_contracts WHERE id = ${contractId}`).split('\n');
      sql(state, `INSERT INTO organization_members (organization_id, user_id, role, created_at) VALUES (${orgId}, ${adminId}, 'owner', CURRENT_TIMESTAMP)`);
      await open(mod, contractPath);
      await mod.locator('main a[href^="/panel/sprawozdania/"]').first().click();
      await mod.waitForURL(/\/panel\/sprawozdania\/\d+$/);
      const reportPath = new URL(mod.url()).pathname;
      notes.push(await axeCheck(mod));
      await mod.fill('#summary', 'Zadanie wykonano zgodnie z planem.');
      for (const el of await mod.locator('textarea[id$="-done"]').all()) await el.fill('Wykonano.');
      for (const el of await mod.locator('input[id$="-achieved"]').all()) await el.fill('40');
      await mod.fill('#cost-1-total', '100 000,00');
      await mod.fill('#cost-1-grant', '100 000,00');
      for (const el of await mod.locator('input[name="statements"]').all()) await el.check();
      await mod.locator('#report-submit').click();
      await mod.waitForLoadState('load');
      check((await mod.locator('#cost-1-explanation-error').count()) === 1, 'a line over the tolerance went in without its explanation');
      check((await mod.inputValue('#cost-1-grant')) === '100 000,00', 'the report lost what was typed');
      notes.push(await axeCheck(mod));
      await mod.fill('#cost-1-explanation', 'Wyższe koszty trenera.');
      await mod.locator('#report-submit').click();
      await mod.waitForURL(new RegExp(`${reportPath}$`));
      check((await mainText(mod)).includes('dotacja pobrana w nadmiernej wysokości'), 'the line over the tolerance is not flagged');
      notes.push(await axeCheck(mod));
      // Returned with corrections (a note too short first), corrected, accepted.
      await mod.fill('#note', 'krótko');
      await mod.locator('#report-return').click();
      await mod.waitForLoadState('load');
      check((await mod.locator('#note-error').count()) === 1, 'a return without its reasons was accepted');
      notes.push(await axeCheck(mod));
      await mod.fill('#note', 'Uzupełnij opis wkładu osobowego.');
      await mod.fill('#correct_by', day(14));
      await mod.locator('#report-return').click();
      await mod.waitForURL(new RegExp(`${reportPath}$`));
      check((await mainText(mod)).includes('Uzupełnij opis wkładu osobowego.'), 'the corrections are not shown');
      notes.push(await axeCheck(mod));
      await mod.fill('#input_note', 'Dwóch wolontariuszy, 40 godzin.');
      await mod.locator('#report-submit').click();
      await mod.waitForURL(new RegExp(`${reportPath}$`));
      await mod.locator('#report-accept').click();
      await mod.waitForURL(new RegExp(`${reportPath}$`));
      await open(mod, contractPath);
      check((await mainText(mod)).includes('Rozliczenie dotacji'), 'no settlement after the final report was accepted');
      notes.push(await axeCheck(mod));
      await mod.locator('#return-record').click();
      await mod.waitForLoadState('load');
      check((await mod.locator('#amount-error').count()) === 1, 'an empty return was recorded');
      notes.push(await axeCheck(mod));
      await mod.fill('#amount', '10,00');
      await mod.fill('#paid_on', day(0));
      await mod.locator('#return-record').click();
      await mod.waitForURL(/\/panel\/umowy\/\d+/);
      check((await mainText(mod)).includes('Zapisane zwroty'), 'the return is not listed');
      for (const p of ['/panel/sprawozdania', '/panel/zobowiazania']) {
        await open(mod, p);
        notes.push(await axeCheck(mod));
      }
      await open(mod, contractPath);
      const pdfHref = await mod.locator('main a[href$="/umowa.pdf"]').getAttribute('href');
      const pdf = await mod.request.get(url(pdfHref));
      const body = await pdf.body();
      check(pdf.status() === 200 && body.subarray(0, 5).toString() === '%PDF-', 'no contract PDF');
      const read = spawnSync('pdftotext', ['-', '-'], { input: body });
      check(squash(read.stdout.toString('utf8')).includes(squash('61 1090 1014 0000 0712 1981 2874')), 'the PDF lacks the account');
      if (process.env.E2E_KEEP) fs.writeFileSync(path.join(process.env.E2E_KEEP, `umowa-${process.env.E2E_DATABASE_URL ? 'postgresql' : 'sqlite'}.pdf`), body);
      // The model contract: an unknown field is refused next to the text.
      await open(mod, '/panel/umowy/wzor');
      notes.push(await axeCheck(mod));
      const text = await mod.inputValue('#body');
      await mod.fill('#body', `${text}\n{{nieznane_pole}}`);
      await mod.fill('#note', 'Próba');
      await mod.locator('main form button').click();
      await mod.waitForLoadState('load');
      check((await mod.locator('#body-error').count()) === 1, 'an unknown field in the model was accepted');
      notes.push(await axeCheck(mod));
      return notes.filter(Boolean).join('\n');
    }),
  { timeout: 240_000 });

  test('grants: small grant (art. 19a) — the public page, a comment (errors first), held for review; the office publishes a waiting offer and lets the comment through (axe on each)', () =>
    withPage({ bypassCSP: true }, async (mod) => {
      const notes = [];
      const stamp = Date.now();
      const comment = `Uwaga z testu przeglądarki ${stamp}: proszę dodać godziny zajęć.`;
      let demoId = '';
      await withPage({ bypassCSP: true }, async (anon) => {
        await open(anon, '/konkursy');
        await anon.locator('main a[href="/male-granty"]').click();
        await anon.waitForURL(/\/male-granty$/);
        notes.push(await axeCheck(anon));
        const offer = anon.locator('main a[href^="/male-granty/"]').first();
        check((await offer.count()) === 1, 'no offer open for comments in the demo');
        await offer.click();
        await anon.waitForURL(/\/male-granty\/\d+$/);
        demoId = new URL(anon.url()).pathname.split('/').pop();
        notes.push(await axeCheck(anon));
        await anon.locator('main a[href$="/uwagi"]').click();
        await anon.waitForURL(/\/male-granty\/\d+\/uwagi$/);
        notes.push(await axeCheck(anon));
        await anon.fill('#name', 'Jan Testowy');
        await anon.locator('main form button[type="submit"]').click();
        await anon.waitForLoadState('load');
        check((await anon.locator('.error-summary').count()) === 1, 'an empty comment was accepted');
        check((await anon.inputValue('#name')) === 'Jan Testowy', 'the name was not kept');
        notes.push(await axeCheck(anon));
        await anon.fill('#body', comment);
        await anon.locator('main form button[type="submit"]').click();
        await anon.waitForURL(/\/male-granty\/\d+$/);
        check(!(await mainText(anon)).includes(comment), 'a comment was shown before review');
      });
      await adminWithTotp(mod, `male-granty-${stamp}@wierzbin.example`);
      await open(mod, '/panel/male-granty');
      notes.push(await axeCheck(mod));
      await mod.locator('main table a[href^="/panel/male-granty/"]').first().click();
      await mod.waitForURL(/\/panel\/male-granty\/\d+$/);
      notes.push(await axeCheck(mod));
      check((await mod.locator('#sphere').count()) === 1, 'the first offer listed does not wait for publication');
      await mod.locator('main form[action$="/publikacja"] button').click();
      await mod.waitForLoadState('load');
      check((await mod.locator('#sphere-error').count()) === 1, 'publication without a sphere was accepted');
      notes.push(await axeCheck(mod));
      await mod.selectOption('#sphere', '16');
      await mod.locator('main form[action$="/publikacja"] button').click();
      await mod.waitForURL(/\/panel\/male-granty\/\d+$/);
      check((await mainText(mod)).includes('opublikowana do uwag'), 'the offer is not shown as published');
      notes.push(await axeCheck(mod));
      // The demo's offer in its window: the comment from above waits there; let it through.
      await open(mod, '/male-granty');
      notes.push(await axeCheck(mod));
      await open(mod, `/panel/male-granty/${demoId}`);
      const item = mod.locator('main li.card', { hasText: comment });
      check((await item.count()) === 1, 'the comment is not on the office page');
      await item.locator('button[value="published"]').click();
      await mod.waitForURL(/\/panel\/male-granty\/\d+/);
      notes.push(await axeCheck(mod));
      await open(mod, `/male-granty/${demoId}`);
      check((await mainText(mod)).includes(comment), 'the comment let through is not public');
      // The demo's offer whose window ended: an amount above the request refused, then the
      // grant, then its contract prepared as for any grant.
      await open(mod, '/panel/male-granty');
      const rows = mod.locator('#oferty ~ .table-wrap a[href^="/panel/male-granty/"]');
      let decided = false;
      for (const href of await rows.evaluateAll((as) => as.map((a) => a.getAttribute('href')))) {
        await open(mod, href);
        if ((await mod.locator('#amount').count()) === 0) continue;
        const asked = await mod.inputValue('#amount');
        await mod.fill('#amount', '99 999,00');
        await mod.locator('main form[action$="/decyzja"] button.button:not(.button-secondary)').first().click();
        await mod.waitForLoadState('load');
        check((await mod.locator('#amount-error').count()) === 1, 'an amount above the request was accepted');
        check((await mod.inputValue('#amount')) === '99 999,00', 'the amount was not kept as typed');
        notes.push(await axeCheck(mod));
        await mod.fill('#amount', asked);
        await mod.locator('main form[action$="/decyzja"] button.button:not(.button-secondary)').first().click();
        await mod.waitForURL(/\/panel\/male-granty\/\d+$/);
        check((await mainText(mod)).includes('Przyznano'), 'the decision is not shown');
        notes.push(await axeCheck(mod));
        await mod.locator('main a[href^="/panel/umowy/nowa?oferta="]').click();
        await mod.waitForURL(/\/panel\/umowy\/nowa\?oferta=\d+$/);
        check(grosze(await mod.inputValue('#amount')) === grosze(asked), 'the contract form does not carry the grant');
        await mod.fill('#bank_account', '61 1090 1014 0000 0712 1981 2874');
        await mod.locator('main form.profile-form button.button').click();
        await mod.waitForURL(/\/panel\/umowy\/\d+$/);
        notes.push(await axeCheck(mod));
        decided = true;
        break;
      }
      check(decided, 'no demo offer waits for its decision');
      return notes.filter(Boolean).join('\n');
    }),
  { timeout: 180_000 });
}
