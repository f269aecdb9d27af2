import { metricDefinitions, type MetricName } from '@reelhouse/metrics';

import { buildChartSpec } from './chart-option.ts';
import {
  datePresets,
  filterDimensions,
  filterLabels,
  filtersToSearch,
  type DashboardFilters,
  type FilterDimension,
} from './dashboard-filters.ts';
import { formatChange, formatValue } from './format-value.ts';
import { html, jsonScript, SafeHtml } from './html.ts';
import { pages, type PageId } from './panel-definitions.ts';
import { renderDrillPath, drillSpec } from './render-drill.ts';
import { panelCaption, panelFileName } from './panel-export.ts';
import type { PanelAnswer, PanelFailure } from './run-panel.ts';

/** Values offered in the filter bar's selects. */
export type FilterOptions = Partial<Record<FilterDimension, readonly string[]>>;

/** The page shell: header, navigation and the filter bar around `body`. */
export function renderLayout(options: {
  page: PageId | undefined;
  title: string;
  filters: DashboardFilters | undefined;
  filterOptions: FilterOptions;
  body: SafeHtml;
  footer?: string;
}): string {
  const { filters } = options;
  const search = filters === undefined ? '' : `?${filtersToSearch(filters)}`;
  const nav = (Object.entries(pages) as [PageId, (typeof pages)[PageId]][]).map(
    ([id, page]) =>
      html`<a href="${page.path}${search}" class="${id === options.page ? 'active' : ''}"
        >${page.title}</a
      >`,
  );
  return `<!doctype html>${html`<html lang="en">
    <head>
      <meta charset="utf-8" />
      <meta name="viewport" content="width=device-width, initial-scale=1" />
      <title>${options.title} · Reelhouse</title>
      <link rel="icon" href="data:," />
      <link rel="stylesheet" href="/assets/dashboard.css" />
    </head>
    <body>
      <header class="top">
        <div class="brand">
          <span class="logo">▶</span> Reelhouse <span class="muted">Analytics</span>
        </div>
        <nav>${nav}</nav>
      </header>
      ${filters === undefined ? '' : renderFilterBar({ filters, options: options.filterOptions, path: options.page === undefined ? '/' : pages[options.page].path })}
      <main>${options.body}</main>
      <footer>${options.footer ?? ''}</footer>
      <script src="/assets/echarts.min.js"></script>
      <script src="/assets/dashboard.js"></script>
      <script src="/assets/panel-png.js"></script>
    </body>
  </html>`.toString()}`;
}

function renderFilterBar(options: {
  filters: DashboardFilters;
  options: FilterOptions;
  path: string;
}): SafeHtml {
  const { filters, path } = options;
  const latest = filters.to;
  const presetLinks = (Object.entries(datePresets) as [keyof typeof datePresets, number][]).map(
    ([name, days]) => {
      const from = new Date(Date.parse(`${latest}T00:00:00Z`) - (days - 1) * 86_400_000)
        .toISOString()
        .slice(0, 10);
      const active = filters.from === from;
      return html`<a
        class="preset${active ? ' active' : ''}"
        data-preset="${name}"
        href="${path}?${filtersToSearch(filters, { from, to: latest })}"
        >${name}</a
      >`;
    },
  );
  // One multi-select slicer per filter dimension (Ctrl/Cmd or touch to pick several).
  const selects = filterDimensions.map((dimension) => {
    const current = filters.dimensions[dimension] ?? [];
    const values = options.options[dimension] ?? [];
    const choices = [...values, ...current.filter((value) => !values.includes(value))];
    return html`<label class="slicer"
      >${filterLabels[dimension]}<select
        name="${dimension}"
        data-filter="${dimension}"
        multiple
        size="3"
      >
        ${choices.map(
          (value) =>
            html`<option
              value="${value}"
              ${current.includes(value) ? new SafeHtml(' selected') : ''}
            >
              ${value}
            </option>`,
        )}
      </select></label
    >`;
  });
  const chips = filterDimensions
    .filter((dimension) => filters.dimensions[dimension] !== undefined)
    .map(
      (dimension) =>
        html`<a
          class="chip"
          href="${path}?${filtersToSearch(filters, { [dimension]: undefined })}"
          title="Remove this filter"
          >${filterLabels[dimension]}: ${filters.dimensions[dimension]?.join(', ')} ✕</a
        >`,
    );
  return html`<form class="filters" method="get" action="${path}" id="filters">
    <label>From<input type="date" name="from" value="${filters.from}" /></label
    ><label>To<input type="date" name="to" value="${filters.to}" /></label>
    <div class="presets">${presetLinks}</div>
    ${selects}
    <noscript><button type="submit">Apply</button></noscript>
    <div class="chips">
      ${chips}${chips.length > 0 ? html`<a class="chip clear" href="${path}?${filtersToSearch(filters, Object.fromEntries(filterDimensions.map((dimension) => [dimension, undefined])))}">Clear filters</a>` : ''}
    </div>
  </form>`;
}

/** The panel's own filters, for a card label: `(USD)`. */
function fixedFilters(answer: PanelAnswer): string {
  const values = Object.values(answer.panel.filters ?? {}).flat();
  return values.length === 0 ? '' : `(${values.join(', ')})`;
}

function renderKpis(answers: readonly PanelAnswer[]): SafeHtml {
  const cards = answers.flatMap((answer) =>
    answer.panel.metrics.map((metric: MetricName) => {
      const definition = metricDefinitions[metric];
      const value = answer.result.rows[0]?.values[metric] ?? { current: null, previous: null };
      const change = formatChange({
        current: value.current,
        previous: value.previous,
        unit: definition.unit,
        higherIsBetter: definition.higherIsBetter,
      });
      return html`<div class="kpi" data-metric="${metric}" title="${definition.description}">
        <div class="kpi-label">
          ${definition.label}${fixedFilters(answer) === '' ? '' : html` <span class="muted">${fixedFilters(answer)}</span>`}
        </div>
        <div class="kpi-value">${formatValue(value.current, definition.unit)}</div>
        <div class="kpi-change ${change.tone}">
          ${change.text}
          <span class="muted">vs ${formatValue(value.previous, definition.unit)}</span>
        </div>
        ${answer.ignored.length > 0 ? html`<div class="note">not filtered by ${answer.ignored.join(', ')}</div>` : ''}
      </div>`;
    }),
  );
  return html`<section class="kpis">${cards}</section>`;
}

function renderPanel(answer: PanelAnswer, partialDay: string | undefined): SafeHtml {
  const { panel, filters } = answer;
  const search = filtersToSearch(filters);
  const empty = answer.result.rows.length === 0;
  const drill = drillSpec(answer);
  const chartSpec = empty ? undefined : buildChartSpec(answer, { partialDay });
  const spec = chartSpec === undefined || drill === undefined ? chartSpec : { ...chartSpec, drill };
  const caption = panelCaption(answer);
  return html`<section class="panel ${panel.width}" data-panel="${panel.id}">
    <div class="panel-head">
      <div>
        <h2>${panel.title}</h2>
        ${panel.subtitle === undefined ? '' : html`<div class="subtitle">${panel.subtitle}</div>`}
      </div>
      <div class="actions">
        <a href="/api/panels/${panel.id}.csv?${search}" download data-export="${panel.id}">CSV</a
        >${empty ? '' : html`<button type="button" data-png="${panel.id}" title="Download the chart as a PNG image with its filters written under it">PNG</button>`}<a
          href="/api/panels/${panel.id}?${search}"
          >JSON</a
        >
      </div>
    </div>
    ${renderDrillPath(answer)}
    ${answer.ignored.length > 0 ? html`<div class="note">Not filtered by ${answer.ignored.join(', ')}: this panel has no such split.</div>` : ''}
    ${
      empty
        ? html`<div class="empty-panel">No data for these filters.</div>`
        : html`<div
              class="chart${spec?.crossFilter === undefined ? '' : ' clickable'}"
              id="chart-${panel.id}"
              data-chart="${panel.id}"
              role="img"
              aria-label="${panel.title}${panel.subtitle === undefined ? '' : ` (${panel.subtitle})`}"
            ></div>
            ${jsonScript(`spec-${panel.id}`, spec)}
            <figcaption class="export-caption" data-caption="${panel.id}" hidden>
              ${caption.title}${caption.lines.map((line) => html`<br />${line}`)}
            </figcaption>
            ${jsonScript(`export-${panel.id}`, { ...caption, fileName: panelFileName(answer, 'png') })}`
    }
  </section>`;
}

/** A dashboard page: KPI cards first, then the panels in their grid. */
export function renderPanels(
  outcomes: readonly (PanelAnswer | PanelFailure)[],
  options: { partialDay?: string | undefined } = {},
): SafeHtml {
  const answers = outcomes.filter((outcome): outcome is PanelAnswer => 'result' in outcome);
  const failures = outcomes.filter((outcome): outcome is PanelFailure => 'error' in outcome);
  const kpis = answers.filter((answer) => answer.panel.chart === 'kpi');
  const charts = outcomes.filter((outcome) => outcome.panel.chart !== 'kpi');
  const kpiFailures = failures.filter((failure) => failure.panel.chart === 'kpi');
  return html`${kpis.length > 0 ? renderKpis(kpis) : ''}
    ${kpiFailures.map((failure) => html`<div class="panel-error">${failure.panel.title} failed: ${failure.error}</div>`)}
    <div class="grid">
      ${charts.map((outcome) =>
        'error' in outcome
          ? html`<section class="panel ${outcome.panel.width}" data-panel="${outcome.panel.id}">
              <div class="panel-head"><h2>${outcome.panel.title}</h2></div>
              <div class="panel-error">This panel failed: ${outcome.error}</div>
            </section>`
          : renderPanel(outcome, options.partialDay),
      )}
    </div>`;
}

/** What the dashboard shows before any pipeline has filled `trusted`. */
export function renderEmptyState(reason: string): SafeHtml {
  return html`<section class="empty-state">
    <h1>No data yet</h1>
    <p>${reason}</p>
    <p>Run the pipeline once to fill the warehouse, then reload this page:</p>
    <pre>pnpm pipeline</pre>
    <p class="muted">
      The dashboard reads only the <code>trusted</code> schema; it appears here as soon as a build
      publishes it.
    </p>
  </section>`;
}

/** What a page shows for a range that holds no data at all: where the data is, one click away. */
export function renderRangeWithoutData(options: {
  filters: DashboardFilters;
  firstDay: string;
  latestDay: string;
  path: string;
}): SafeHtml {
  const { filters, firstDay, latestDay, path } = options;
  const lastMonthFrom = new Date(Date.parse(`${latestDay}T00:00:00Z`) - 29 * 86_400_000)
    .toISOString()
    .slice(0, 10);
  const from = lastMonthFrom < firstDay ? firstDay : lastMonthFrom;
  const where = `${filters.from} to ${filters.to} has no sessions. The warehouse holds sessions from ${firstDay} to ${latestDay}.`;
  return html`<section class="empty-state" data-empty="range">
    <h1>No data in this range</h1>
    <p>${where}</p>
    <p>
      <a href="${path}?${filtersToSearch(filters, { from, to: latestDay })}"
        >Show ${from} to ${latestDay}</a
      >
    </p>
  </section>`;
}

/** A page explaining why the URL was refused. */
export function renderBadRequest(problems: readonly string[]): SafeHtml {
  return html`<section class="empty-state">
    <h1>Invalid filters</h1>
    <ul>
      ${problems.map((problem) => html`<li>${problem}</li>`)}
    </ul>
    <p><a href="/">Back to the overview</a></p>
  </section>`;
}
