import { describe, expect, it } from 'vitest';

import { columnLineage, compileProject, defineExposure, renderModelDocs } from '../src/index.ts';
import { plan_summary, premium_users, stg_users } from './fixtures/example-models.ts';

const docs = renderModelDocs(compileProject([premium_users, plan_summary, stg_users]));

describe('renderModelDocs', () => {
  it('draws the lineage as a Mermaid flowchart from sources to models', () => {
    expect(docs.mermaid).toMatchInlineSnapshot(`
      "graph LR
        raw_users[("raw.users")]
        stg_users["stg_users (view)"]
        plan_summary["plan_summary (table)"]
        premium_users["premium_users (table)"]
        raw_users --> stg_users
        stg_users --> plan_summary
        plan_summary --> premium_users
        stg_users --> premium_users"
    `);
  });

  it('documents each model: description, contract columns, tests, upstream and downstream', () => {
    const section = docs.markdown.slice(
      docs.markdown.indexOf('## plan_summary'),
      docs.markdown.indexOf('## premium_users'),
    );
    expect(section).toMatchInlineSnapshot(`
      "## plan_summary

      Users and revenue per plan.

      - materialization: table
      - tags: marts
      - primary key: plan
      - upstream: stg_users
      - downstream: premium_users

      | column | type | nullable | check | description |
      |---|---|---|---|---|
      | plan | text | no |  |  |
      | users | bigint | no | "users" > 0 |  |
      | revenue_cents | bigint | no |  |  |

      Tests:

      - unique(plan) (error)

      "
    `);
    expect(docs.markdown).toContain('```mermaid\ngraph LR');
  });

  it('renders one self-contained HTML page: inline SVG lineage, an inline search script, no external file', () => {
    expect(docs.html).toMatch(/^<!doctype html>/);
    expect(docs.html).toContain('<svg');
    expect(docs.html).toContain('<section id="model-premium_users" data-search="premium_users ');
    expect(docs.html).toContain('<input type="search" id="docs-search"');
    expect(docs.html.match(/<script>/g)).toHaveLength(1);
    expect(docs.html).not.toMatch(/<script src|<link|src="http|href="http/);
  });
});

describe('renderModelDocs with column lineage and exposures (issue 15)', async () => {
  const models = [premium_users, plan_summary, stg_users];
  const exposures = [
    defineExposure({
      name: 'plan_board',
      label: 'Plan board',
      type: 'dashboard',
      description: 'Users per plan.',
      owner: { name: 'Analytics' },
      url: '/plans',
      columns: ['plan_summary.plan', 'plan_summary.users'],
      metrics: ['users'],
    }),
  ];
  const full = renderModelDocs(compileProject(models), {
    lineage: await columnLineage(models),
    exposures,
  });

  it('shows each column’s upstream columns and the exposures reading it', () => {
    const section = full.markdown.slice(
      full.markdown.indexOf('## plan_summary'),
      full.markdown.indexOf('## premium_users'),
    );
    expect(section).toContain('- exposures: plan_board\n');
    expect(section).toContain('| column | type | nullable | check | description | upstream |\n');
    expect(section).toContain('| users | bigint | no | "users" > 0 |  | constant |\n');
    expect(section).toContain(
      '| revenue_cents | bigint | no |  |  | stg_users.monthly_price_cents |\n',
    );
    expect(full.markdown).toContain(
      '| plan_board | dashboard | /plans | plan_summary | users | plan_summary.plan, plan_summary.users |',
    );
    expect(full.html).toContain(
      '<tr id="column-plan_summary-revenue_cents" data-search="plan_summary.revenue_cents  stg_users.monthly_price_cents"><td>revenue_cents</td><td>bigint</td><td>no</td><td></td><td></td><td><a href="#column-stg_users-monthly_price_cents"><code>stg_users.monthly_price_cents</code></a></td><td></td></tr>',
    );
    expect(full.html).toContain(
      '<td><a href="#column-stg_users-plan"><code>stg_users.plan</code></a></td><td><a href="#exposure-plan_board">plan_board</a></td></tr>',
    );
    expect(full.html).toContain('<td><code>raw.users.plan</code></td>');
    expect(full.html).toContain('<section id="exposure-plan_board" class="exposure" data-search="');
  });
});
