// The consultations flow in the browser (issue 20): a member of an organisation makes a remark
// on one paragraph of the demo's open programme consultation by keyboard only (Tab, typing,
// Enter — the errors first, the text kept), sees it on the page; the office gives it a position
// with others in bulk; the changes between versions and the report of the past consultation are
// read. axe-core runs on every page on the way.

import { sql } from './grants.mjs';

const mainText = async (page) => (await page.locator('main').innerText()).replace(/[\u00a0\u202f]/g, ' ');

// Presses Tab until the focused element matches `selector` (at most `max` presses): how a
// keyboard user reaches a link or a field.
async function tabTo(page, selector, check, max = 400) {
  for (let i = 0; i < max; i++) {
    await page.keyboard.press('Tab');
    if (await page.evaluate((s) => document.activeElement?.matches(s) ?? false, selector)) return;
  }
  check(false, `Tab never reached ${selector}`);
}

export function registerConsultations(h) {
  const { test, check, state, withPage, open, axeCheck, signUpAndIn, adminWithTotp } = h;

  test('consultations: a remark on one paragraph by keyboard only (errors first), answered in bulk by the office; changes and the report read (axe on each)', () =>
    withPage({ bypassCSP: true }, async (ngo) => {
      const notes = [];
      const stamp = Date.now();
      const email = `konsultacje-ngo-${stamp}@example.pl`;
      await signUpAndIn(ngo, email, 'hasło członkini e2e', 'Ewa Konsultacyjna');
      sql(state, `INSERT INTO organization_members (organization_id, user_id, role, created_at)
        SELECT o.id, u.id, 'owner', '${new Date().toISOString()}' FROM organizations o, users u
        WHERE o.status = 'published' AND u.email = '${email}' ORDER BY o.id LIMIT 1`);
      const slug = sql(state, "SELECT slug FROM consultations WHERE status = 'open' ORDER BY id LIMIT 1");
      check(slug.startsWith('program-wspolpracy-'), 'no open programme consultation in the demo');
      const justification = `Uzasadnienie z testu klawiatury ${stamp}: kwota nie rośnie od lat.`;

      // Keyboard only from the list to the paragraph's form.
      await open(ngo, '/konsultacje');
      notes.push(await axeCheck(ngo));
      await tabTo(ngo, `main a[href="/konsultacje/${slug}"]`, check);
      await ngo.keyboard.press('Enter');
      await ngo.waitForURL(new RegExp(`/konsultacje/${slug}$`));
      notes.push(await axeCheck(ngo));
      await tabTo(ngo, `main a[href="/konsultacje/${slug}/uwaga?j=par-6"]`, check);
      await ngo.keyboard.press('Enter');
      await ngo.waitForURL(/\/uwaga\?j=par-6$/);
      check((await mainText(ngo)).includes('§ 6'), 'the form does not name its paragraph');
      notes.push(await axeCheck(ngo));
      await tabTo(ngo, '#proposal', check);
      await ngo.keyboard.type('Na realizację Programu planuje się przeznaczyć kwotę 1 550 000 zł.');
      await tabTo(ngo, 'main form button[type="submit"]', check);
      await ngo.keyboard.press('Enter');
      await ngo.waitForURL(/\/uwaga$/);
      check((await ngo.locator('#justification-error').count()) === 1, 'a remark without its reasons was accepted');
      check((await ngo.inputValue('#proposal')).includes('1 550 000'), 'the proposal was not kept');
      check(await ngo.evaluate(() => document.activeElement?.classList.contains('error-summary') ?? false), 'the error summary did not take focus');
      notes.push(await axeCheck(ngo));
      await tabTo(ngo, '#justification', check);
      await ngo.keyboard.type(justification);
      await tabTo(ngo, 'main form button[type="submit"]', check);
      await ngo.keyboard.press('Enter');
      await ngo.waitForURL(new RegExp(`/konsultacje/${slug}#par-6$`));
      check((await mainText(ngo)).includes(justification), 'the remark is not on the page');
      notes.push(await axeCheck(ngo));

      // The office: the remark among the others, a position for two of them at once.
      await withPage({ bypassCSP: true }, async (mod) => {
        await adminWithTotp(mod, `konsultacje-${stamp}@wierzbin.example`);
        await open(mod, '/panel/konsultacje');
        notes.push(await axeCheck(mod));
        await mod.locator(`main a[href^="/panel/konsultacje/"]`, { hasText: 'Programu współpracy' }).first().click();
        await mod.waitForURL(/\/panel\/konsultacje\/\d+$/);
        check((await mainText(mod)).includes(justification), 'the remark is not on the office page');
        notes.push(await axeCheck(mod));
        // Nothing ticked: refused, then two remarks rejected with one answer.
        await mod.check('input[name="position"][value="rejected"]');
        await mod.locator('main form[action$="/odpowiedzi"] button.button').click();
        await mod.waitForURL(/\/odpowiedzi$/);
        check((await mod.locator('#remarks-error').count()) === 1, 'an answer to no remark was accepted');
        notes.push(await axeCheck(mod));
        const boxes = mod.locator('main form[action$="/odpowiedzi"] input[name="remark"]');
        await boxes.nth(0).check();
        await boxes.nth(1).check();
        await mod.check('input[name="position"][value="partly"]');
        await mod.fill('#answer', 'Częściowo: kwota wzrośnie, ale mniej, niż proponowano.');
        await mod.locator('main form[action$="/odpowiedzi"] button.button').click();
        await mod.waitForURL(/\/panel\/konsultacje\/\d+#uwagi$/);
        check((await mainText(mod)).includes('Częściowo: kwota wzrośnie'), 'the position is not shown');
        notes.push(await axeCheck(mod));
        // A new consultation's form with errors.
        await open(mod, '/panel/konsultacje/nowa');
        await mod.locator('main form.profile-form button.button').click();
        await mod.waitForURL(/\/nowa$/);
        await mod.waitForLoadState('load');
        check((await mod.locator('.error-summary').count()) === 1, 'an empty consultation was accepted');
        notes.push(await axeCheck(mod));
      });

      // The past consultation: the changes between its versions and its report.
      const past = sql(state, "SELECT slug FROM consultations WHERE status = 'reported' ORDER BY id LIMIT 1");
      await open(ngo, `/konsultacje/${past}/zmiany`);
      check((await ngo.locator('main ins').count()) > 0, 'no added words marked');
      notes.push(await axeCheck(ngo));
      await open(ngo, `/konsultacje/${past}/raport`);
      check((await mainText(ngo)).includes('Uwaga odrzucona'), 'the report shows no positions');
      notes.push(await axeCheck(ngo));
      return notes.filter(Boolean).join('\n');
    }),
  { timeout: 180_000 });
}
