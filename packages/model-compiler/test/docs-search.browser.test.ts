import { chromium, type Browser, type Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

import { columnLineage, compileProject, defineExposure, renderModelDocs } from '../src/index.ts';
import { plan_summary, premium_users, stg_users } from './fixtures/example-models.ts';

const models = [premium_users, plan_summary, stg_users];
const plan_board = defineExposure({
  name: 'plan_board',
  label: 'Plan board',
  type: 'dashboard',
  description: 'Users per plan.',
  owner: { name: 'Analytics' },
  columns: ['plan_summary.plan', 'plan_summary.users'],
  metrics: ['users'],
});

let browser: Browser;
let page: Page;
beforeAll(async () => {
  const docs = renderModelDocs(compileProject(models), {
    lineage: await columnLineage(models),
    exposures: [plan_board],
  });
  browser = await chromium.launch({
    executablePath: '/usr/bin/chromium',
    headless: true,
    args: ['--no-sandbox', '--disable-gpu', '--disable-background-networking'],
  });
  page = await browser.newPage();
  // The page is one file: nothing may be fetched.
  await page.route('**/*', (route) => route.abort());
  await page.setContent(docs.html);
}, 120_000);
afterAll(async () => {
  await browser.close();
});

/** Ids of the sections and column rows left visible. */
async function visible(): Promise<string[]> {
  const ids: string[] = [];
  for (const element of await page.locator('[data-search]').all())
    if (await element.isVisible()) ids.push((await element.getAttribute('id')) ?? '');
  return ids;
}

describe('the docs page search box (issue 15)', () => {
  it('filters models, columns and exposures as one types, and shows everything when cleared', async () => {
    const everything = await visible();
    expect(everything).toContain('model-stg_users');
    expect(everything).toContain('exposure-plan_board');

    await page.fill('#docs-search', 'revenue_cents');
    // A matching column shows its model with that row only.
    expect(await visible()).toEqual(['model-plan_summary', 'column-plan_summary-revenue_cents']);
    expect(await page.textContent('#docs-search-count')).toBe('1 of 4 shown');

    await page.fill('#docs-search', 'plan_board');
    expect(await visible()).toEqual([
      'model-plan_summary',
      'column-plan_summary-plan',
      'column-plan_summary-users',
      'exposure-plan_board',
    ]);

    // A matching model name shows the whole model.
    await page.fill('#docs-search', 'premium_users');
    expect(await visible()).toEqual([
      'model-premium_users',
      'column-premium_users-user_id',
      'column-premium_users-country_code',
      'column-premium_users-plan',
    ]);

    await page.fill('#docs-search', '');
    expect(await visible()).toEqual(everything);
  });
});
