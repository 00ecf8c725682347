import { existsSync, mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { Browser, chromium, Locator, Page } from 'playwright-core';
import { GATEWAY_URL } from '../support/environment';
import { storeOwnerToken } from '../support/users';
import { TEST_OUTPUT } from './support/openapi-tools';

/** The system's Chromium (Debian's `chromium` package; .ci/run installs it): Playwright downloads no browser. */
const CHROMIUM = process.env['CHROMIUM_PATH'] || '/usr/bin/chromium';
const SCREENSHOTS = join(TEST_OUTPUT, 'swagger-ui');
const ANSWER_TIMEOUT_MS = 30_000;

describe('Swagger UI at /docs, in a real browser', () => {
  let browser: Browser;
  let page: Page;

  beforeAll(async () => {
    if (!existsSync(CHROMIUM)) {
      throw new Error(`No Chromium at ${CHROMIUM}: install Debian's chromium (apt-get install chromium) or set CHROMIUM_PATH.`);
    }
    mkdirSync(SCREENSHOTS, { recursive: true });
    // --no-sandbox: CI runs as root, where Chromium's sandbox refuses to start.
    browser = await chromium.launch({ executablePath: CHROMIUM, args: ['--no-sandbox'] });
    page = await browser.newPage({ viewport: { width: 1280, height: 1600 } });
    await page.goto(`${GATEWAY_URL}/docs`);
    await page.locator('.btn.authorize').click();
    await page.locator('.modal-ux input[type=text]').fill(await storeOwnerToken());
    await page.locator('.modal-ux .auth-btn-wrapper .authorize').click();
    await page.locator('.modal-ux .auth-btn-wrapper .btn-done').click();
    await page.screenshot({ path: join(SCREENSHOTS, '0-authorized.png') });
  });

  afterAll(async () => {
    await browser?.close();
  });

  /** Opens the operation, presses "Try it out", lets `fill` edit its inputs, executes, and answers the status shown. */
  async function tryItOut(tag: string, operationId: string, fill: (operation: Locator) => Promise<void> = async () => undefined) {
    const operation = page.locator(`#operations-${tag}-${operationId}`);
    await operation.locator('.opblock-summary').click();
    await operation.locator('.try-out__btn').click();
    await fill(operation);
    await operation.locator('.execute').click();
    const status = operation.locator('.live-responses-table .response .response-col_status');
    await status.first().waitFor({ timeout: ANSWER_TIMEOUT_MS });
    const body = (await operation.locator('.live-responses-table .response-col_description pre').first().textContent()) ?? '';
    await operation.screenshot({ path: join(SCREENSHOTS, `${operationId}.png`) });
    return { status: Number((await status.first().textContent())?.trim()), body };
  }

  let petId: number;

  it("executes addPet's example", async () => {
    const answer = await tryItOut('pet', 'addPet');
    expect(answer).toEqual({ status: 200, body: expect.any(String) });
    petId = (JSON.parse(answer.body) as { id: number }).id;
  });

  it('executes getPetById for that pet', async () => {
    const answer = await tryItOut('pet', 'getPetById', (operation) => operation.locator('input[placeholder="petId"]').fill(String(petId)));
    expect(answer.status).toBe(200);
    expect(JSON.parse(answer.body)).toMatchObject({ id: petId });
  });

  it('executes placeOrder for that pet', async () => {
    const answer = await tryItOut('store', 'placeOrder', async (operation) => {
      const body = operation.locator('textarea.body-param__text');
      const example = JSON.parse(await body.inputValue()) as Record<string, unknown>;
      await body.fill(JSON.stringify({ ...example, petId }, null, 2));
    });
    expect([200, 202]).toContain(answer.status);
    expect(JSON.parse(answer.body)).toMatchObject({ petId });
  });

  it('executes getInventory', async () => {
    const answer = await tryItOut('store', 'getInventory');
    expect(answer.status).toBe(200);
    expect(JSON.parse(answer.body)).toEqual({ available: expect.any(Number), pending: expect.any(Number), sold: expect.any(Number) });
  });
});
