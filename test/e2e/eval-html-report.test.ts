import { constants } from 'node:fs';
import { access, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { chromium, type Browser, type Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { EvalReport } from '../../src/evals/report/eval-report.ts';
import { chartTitles } from '../../src/evals/report/report-charts.ts';
import { renderHtmlReport } from '../../src/evals/report/render-html-report.ts';
import { ampersandQuestion, ampersandSql, buildEvalReportSample, markupQuestion, markupSql } from '../support/eval-report-sample.ts';

const chromiumPath = '/usr/bin/chromium';
// The machine is slow and shared: generous limits, and no assertion on how long anything took.
const browserTimeoutMs = 120_000;

async function requireChromium(): Promise<void> {
  try {
    await access(chromiumPath, constants.X_OK);
  } catch {
    throw new Error(
      `No Chromium at ${chromiumPath}: this test opens the HTML report in a real browser. Install Debian's chromium package (apt-get install chromium).`,
    );
  }
}

/**
 * Whether an element matching `selector` (and whose whole text is `text`, when given) is visible. The text
 * is compared here rather than in a Playwright `hasText` filter, which mangles a pattern with both kinds of quotes.
 */
async function isVisible(page: Page, selector: string, text?: string): Promise<boolean> {
  const locator = page.locator(selector);
  const texts = await locator.allTextContents();
  const index = text === undefined ? (texts.length > 0 ? 0 : -1) : texts.findIndex((content) => content.trim() === text);
  return index >= 0 && locator.nth(index).isVisible();
}

/** The rendered sample open in Chromium, with everything the page did recorded. */
interface ReportSession {
  browser: Browser;
  page: Page;
  dir: string;
  fileUrl: string;
  report: EvalReport;
  consoleErrors: string[];
  pageErrors: string[];
  requests: string[];
  dialogs: string[];
}

async function openReport(): Promise<ReportSession> {
  await requireChromium();
  const report = buildEvalReportSample();
  const dir = await mkdtemp(path.join(tmpdir(), 'sqlagent-eval-report-'));
  const file = path.join(dir, 'report.html');
  await writeFile(file, await renderHtmlReport(report));
  const browser = await chromium.launch({
    executablePath: chromiumPath,
    args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking'],
    timeout: browserTimeoutMs,
  });
  const session: ReportSession = {
    browser,
    page: await browser.newPage({ viewport: { width: 1300, height: 900 } }),
    dir,
    fileUrl: pathToFileURL(file).href,
    report,
    consoleErrors: [],
    pageErrors: [],
    requests: [],
    dialogs: [],
  };
  const { page } = session;
  page.setDefaultTimeout(browserTimeoutMs);
  // Counts calls to alert before the page's own content runs (a dialog would show on the 'dialog' event too).
  await page.addInitScript({
    content:
      'window.alertCalls = 0; const originalAlert = window.alert; window.alert = function (...args) { window.alertCalls += 1; return originalAlert.apply(this, args); };',
  });
  page.on('console', (message) => {
    if (message.type() === 'error') session.consoleErrors.push(message.text());
  });
  page.on('pageerror', (error) => session.pageErrors.push(error.message));
  page.on('request', (request) => session.requests.push(request.url()));
  page.on('dialog', (dialog) => {
    session.dialogs.push(`${dialog.type()}: ${dialog.message()}`);
    void dialog.dismiss();
  });
  await page.goto(session.fileUrl, { waitUntil: 'load', timeout: browserTimeoutMs });
  return session;
}

describe('the HTML eval report in a browser', { timeout: 240_000 }, () => {
  // Opened once and awaited by every test, so a missing browser fails each test (a failing hook would skip them).
  let opening: Promise<ReportSession>;

  beforeAll(() => {
    opening = openReport();
    opening.catch(() => {});
  });

  afterAll(async () => {
    const session = await opening.catch(() => null);
    await session?.browser.close();
    if (session) await rm(session.dir, { recursive: true, force: true });
  });

  it('loads with no errors and requests nothing but the file itself', async () => {
    const { page, consoleErrors, pageErrors, requests, fileUrl } = await opening;
    // Open the collapsed item table too, so everything the page holds has been laid out.
    await page.locator('#items details > summary').click();
    expect(await isVisible(page, '#items table')).toBe(true);
    expect(consoleErrors).toEqual([]);
    expect(pageErrors).toEqual([]);
    expect(requests).toEqual([fileUrl]);
  });

  it('shows the four charts as SVG with marks and visible titles', async () => {
    const { page, report } = await opening;
    const charts: Array<{ id: string; title: string; marks: string; count: number }> = [
      {
        id: 'accuracy',
        title: chartTitles.accuracy,
        marks: '.mark-rect.role-mark path[aria-roledescription="bar"]',
        count: report.labels.length,
      },
      {
        id: 'accuracy-by-difficulty',
        title: chartTitles.accuracyByDifficulty,
        marks: '.mark-rect.role-mark path[aria-roledescription="bar"]',
        count: report.labels.length * 3,
      },
      // A tick per item, and one per label for its median.
      {
        id: 'latency',
        title: chartTitles.latency,
        marks: '.mark-rect.role-mark path[aria-roledescription="tick"]',
        count: report.items.length + report.labels.length,
      },
      {
        id: 'cost-accuracy',
        title: chartTitles.costAccuracy,
        marks: '.mark-symbol.role-mark path[aria-roledescription="point"]',
        count: report.labels.length,
      },
    ];
    expect(await page.locator('figure.chart > svg').count()).toBe(4);
    for (const chart of charts) {
      const svg = page.locator(`#chart-${chart.id} > svg`);
      expect(await svg.count(), chart.id).toBe(1);
      const box = await svg.boundingBox();
      expect(box?.width ?? 0, chart.id).toBeGreaterThan(300);
      expect(box?.height ?? 0, chart.id).toBeGreaterThan(150);
      expect(await svg.locator(chart.marks).count(), chart.id).toBe(chart.count);
      expect(await isVisible(page, `#chart-${chart.id} svg text`, chart.title), chart.id).toBe(true);
    }
    expect(await page.locator('svg .mark-rect path, svg .mark-symbol path').count()).toBeGreaterThan(0);
  });

  it('shows questions and SQL with markup as text, never as elements', async () => {
    const { page, dialogs } = await opening;
    expect(await page.locator('script').count()).toBe(0);
    expect(dialogs).toEqual([]);
    expect(await page.evaluate('window.alertCalls')).toBe(0);

    expect(await isVisible(page, '#comparisons .question', markupQuestion)).toBe(true);
    expect(await isVisible(page, '#comparisons .question', ampersandQuestion)).toBe(true);
    expect(await isVisible(page, '#comparisons pre', markupSql)).toBe(true);
    expect(await isVisible(page, '#comparisons pre', ampersandSql)).toBe(true);
    const itemsText = (await page.locator('#items').textContent()) ?? '';
    expect(itemsText).toContain(markupSql);
    expect(itemsText).toContain(ampersandSql);
  });

  it('shows the notes and the comparison sentence', async () => {
    const { page, report } = await opening;
    expect(report.notes.length).toBeGreaterThan(0);
    for (const note of report.notes) expect(await isVisible(page, '#notes li', note), note).toBe(true);
    for (const comparison of report.comparisons) {
      expect(await isVisible(page, '#comparisons .sentence', comparison.sentence)).toBe(true);
    }
  });

  it('puts the sections in the order a reviewer reads them', async () => {
    const { page, report } = await opening;
    const order = await page
      .locator('main > header, main > section')
      .evaluateAll((elements) => elements.map((element) => element.id || element.tagName.toLowerCase()));
    expect(order).toEqual(['header', 'notes', 'summary', 'charts', 'comparisons', 'breakdown', 'reasons', 'gate', 'items']);
    const title = await page.locator('h1').innerText();
    expect(title).toContain(report.runId);
    const summary = await page.locator('#summary table').innerText();
    for (const label of report.labels) expect(summary).toContain(label.label);
  });
});
