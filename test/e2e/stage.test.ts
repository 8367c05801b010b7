// The stage in real chromium with fake camera, microphone and screen, three people in one call through the
// real SFU: a screen share shows large with the presenter's camera over it and the others in a strip; the
// gallery shows every tile; pinning puts a tile large; the people list shows who presents, microphones and
// cameras; and staff bringing everyone to the stage switches another person's page to it (and back).
import fs from 'node:fs';
import * as mediasoup from 'mediasoup';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestServer, type TestServer } from '../helpers/server.ts';
import { waitFor } from '../helpers/waitFor.ts';
import { launchBrowser, newPage } from './helpers/browser.ts';
import { ensureClientBuilt } from './helpers/buildClient.ts';
import { editorText, openClass, waitForEditor } from './helpers/classroom.ts';

let server: TestServer;
let browser: Browser;
type Person = Awaited<ReturnType<typeof newPage>>;
let ada: Person;
let bea: Person;
let cy: Person;

async function joinCall(page: Page): Promise<void> {
  await page.click('[data-testid="preview-mic"]');
  await page.waitForSelector('[data-testid="preview-mic"][aria-pressed="true"]');
  await page.click('[data-testid="preview-cam"]');
  await page.waitForSelector('[data-testid="preview-cam"][aria-pressed="true"]');
  await page.click('[data-testid="join-call"]');
  await page.waitForSelector('[data-call][data-phase="joined"]', { timeout: 20_000 });
}

/** The video in `selector` is playing decoded frames. */
const decoding = (page: Page, selector: string) =>
  page
    .$eval(selector, (v) => (v as HTMLVideoElement).videoWidth > 0 && !(v as HTMLVideoElement).paused)
    .catch(() => false);

const width = async (page: Page, selector: string) =>
  (await page.locator(selector).boundingBox())?.width ?? 0;

beforeAll(async () => {
  if (!fs.existsSync(mediasoup.workerBin))
    throw new Error(`mediasoup worker not built at ${mediasoup.workerBin}: run scripts/setup.sh`);
  await ensureClientBuilt();
  server = await startTestServer({
    MEDIA_ENABLED: 'true',
    MEDIA_WORKERS: '1',
    RTC_PORT: '0',
    RTC_LISTEN_IP: '127.0.0.1',
  });
  browser = await launchBrowser({ media: true });
  ada = await newPage(browser, { media: true });
  bea = await newPage(browser, { media: true });
  cy = await newPage(browser, { media: true });
  for (const p of [ada, bea, cy]) await p.page.setViewportSize({ width: 1400, height: 860 });
  await openClass(ada.page, server, { sub: 'ada', role: 'instructor', name: 'Ada Lovelace', cls: 'stage1' });
  await openClass(bea.page, server, { sub: 'bea', role: 'student', name: 'Bea Student', cls: 'stage1' });
  await openClass(cy.page, server, { sub: 'cy', role: 'student', name: 'Cy Student', cls: 'stage1' });
  for (const p of [ada, bea, cy]) await waitForEditor(p.page);
  for (const p of [ada, bea, cy]) await joinCall(p.page);
});

afterAll(async () => {
  await browser?.close();
  await server?.stop();
});

describe('the stage', () => {
  it('shows a screen share large with the presenter’s camera as an overlay and the others in a strip', async () => {
    await ada.page.click('text=Share screen');
    // Bea is on the code: the sidebar says someone shares and offers the stage.
    await bea.page.click('[data-testid="watch-share"]', { timeout: 20_000 });
    const main =
      '[data-testid="stage-main"] [data-testid="remote-tile"][data-peer="ada"][data-source="screen"] video';
    const overlay =
      '[data-testid="stage-overlay"] [data-testid="remote-tile"][data-peer="ada"][data-source="camera"] video';
    await waitFor(() => decoding(bea.page, main), { timeoutMs: 20_000, message: 'share decodes on stage' });
    await waitFor(() => decoding(bea.page, overlay), { timeoutMs: 20_000, message: 'presenter camera' });
    const stripCy = '[data-testid="stage-strip"] [data-testid="remote-tile"][data-peer="cy"] video';
    await waitFor(() => decoding(bea.page, stripCy), { timeoutMs: 20_000, message: 'Cy in the strip' });
    expect(await bea.page.locator('[data-testid="stage-strip"] [data-testid="self-tile"]').count()).toBe(1);
    // Large: most of the main area, far wider than a strip tile or the overlay.
    const mainWidth = await width(bea.page, '[data-testid="stage-main"]');
    expect(mainWidth).toBeGreaterThan(900);
    expect(await width(bea.page, `[data-testid="stage-overlay"]`)).toBeLessThan(mainWidth / 3);
    // The overlay covers a corner of the share: the viewer can move it to another.
    const overlayBox = bea.page.locator('[data-testid="stage-overlay"]');
    expect(await overlayBox.getAttribute('class')).toContain('at-bottom-right');
    await overlayBox.hover();
    await bea.page.click('[data-testid="overlay-move"]');
    expect(await overlayBox.getAttribute('class')).toContain('at-bottom-left');
    // The presenter sees that they share, not their own screen inside their screen.
    await ada.page.click('[data-tab="stage"]');
    await ada.page.waitForSelector('[data-testid="self-screen-tile"]', { timeout: 10_000 });
  });

  it('shows who presents and their microphone and camera in the people list', async () => {
    await cy.page.click('[data-tab="people"]');
    const row = cy.page.locator('[data-testid="people-list"] [data-user-id="ada"]');
    await waitFor(() => row.locator('[data-testid="person-presenting"]').count(), { timeoutMs: 10_000 });
    expect(await row.locator('[data-testid="person-mic"]').getAttribute('data-on')).toBe('true');
    expect(await row.locator('[data-testid="person-cam"]').getAttribute('data-on')).toBe('true');
    expect(await cy.page.locator('[data-user-id="bea"] [data-testid="person-presenting"]').count()).toBe(0);
    // Bea watches the stage; Cy is in the code.
    await waitFor(
      async () =>
        (await cy.page.locator('[data-user-id="bea"] [data-testid="person-where"]').textContent()) ===
        'Stage',
      {
        timeoutMs: 10_000,
      },
    );
    await ada.page.click('[data-testid="toggle-mic"]');
    await waitFor(
      async () => (await row.locator('[data-testid="person-mic"]').getAttribute('data-on')) === 'false',
      {
        timeoutMs: 10_000,
        message: 'mute shows in the list',
      },
    );
    await ada.page.click('[data-testid="toggle-mic"]');
  });

  it('switches to a gallery of every tile, and back', async () => {
    await bea.page.click('[data-testid="layout-gallery"]');
    const gallery = bea.page.locator('[data-testid="stage-gallery"]');
    await gallery.waitFor();
    // Ada's camera and screen, Bea herself, Cy.
    await waitFor(async () => (await gallery.locator('.video-tile').count()) === 4, { timeoutMs: 10_000 });
    const first = gallery.locator('.video-tile').first();
    expect(await first.getAttribute('data-source')).toBe('screen');
    expect((await first.boundingBox())?.width ?? 0).toBeGreaterThan(350);
    await bea.page.click('[data-testid="layout-speaker"]');
    await bea.page.locator('[data-testid="stage-main"]').waitFor();
  });

  it('pins a tile large whoever shares or speaks, and unpins it', async () => {
    const cyTile = bea.page.locator(
      '[data-testid="stage-strip"] [data-testid="remote-tile"][data-peer="cy"]',
    );
    await cyTile.hover();
    await cyTile.locator('[data-testid="pin-tile"]').click();
    const mainCy =
      '[data-testid="stage-main"] [data-testid="remote-tile"][data-peer="cy"][data-source="camera"] video';
    await waitFor(() => decoding(bea.page, mainCy), { timeoutMs: 10_000, message: 'pinned Cy on stage' });
    // The share moved to the strip, still there.
    await bea.page
      .locator(
        '[data-testid="stage-strip"] [data-testid="remote-tile"][data-peer="ada"][data-source="screen"]',
      )
      .waitFor();
    await bea.page.locator('[data-testid="stage-main"] [data-testid="pin-tile"]').click();
    await bea.page
      .locator(
        '[data-testid="stage-main"] [data-testid="remote-tile"][data-peer="ada"][data-source="screen"]',
      )
      .waitFor();
  });

  it('brings everyone to the stage when staff ask, and lets them go back', async () => {
    expect(await cy.page.locator('[data-testid="stage"]').count()).toBe(0);
    await ada.page.locator('[data-testid="bring-to-stage"]').check();
    await cy.page.locator('[data-testid="stage"]').waitFor({ timeout: 10_000 });
    expect(await cy.page.textContent('[data-testid="stage-brought-by"]')).toBe(
      'Ada Lovelace brought everyone to the stage',
    );
    await waitFor(() => decoding(cy.page, '[data-testid="stage-main"] [data-source="screen"] video'), {
      timeoutMs: 20_000,
      message: 'the share on Cy’s stage',
    });
    // Others are told once (the notice reaches each of their connections); the person who asked is not.
    expect(await cy.page.getByText('brought everyone to the stage.').allTextContents()).toEqual([
      'Ada Lovelace brought everyone to the stage.',
    ]);
    expect(await ada.page.getByText('brought everyone to the stage.').count()).toBe(0);

    await ada.page.locator('[data-testid="bring-to-stage"]').uncheck();
    await waitFor(async () => (await cy.page.locator('[data-testid="stage"]').count()) === 0, {
      timeoutMs: 10_000,
      message: 'Cy back at the code',
    });
    expect(await editorText(cy.page)).toContain('Welcome to Tandem');
    for (const p of [ada, bea, cy]) expect(p.errors).toEqual([]);
  });
});
