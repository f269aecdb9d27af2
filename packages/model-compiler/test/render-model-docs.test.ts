import { describe, expect, it } from 'vitest';

import { compileProject, renderModelDocs } from '../src/index.ts';
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

  it('renders one self-contained HTML page: inline SVG lineage, no script or external file', () => {
    expect(docs.html).toMatch(/^<!doctype html>/);
    expect(docs.html).toContain('<svg');
    expect(docs.html).toContain('<section id="model-premium_users">');
    expect(docs.html).not.toMatch(/<script|<link|src="http/);
  });
});
