import { beforeAll, describe, expect, it } from 'vitest';

import { useDashboardInBrowser } from './browser-harness.ts';

const harness = useDashboardInBrowser('dashboard_date_labels_browser');
const to = '2026-03-31';
const dayMs = 86_400_000;
const fromFor = (days: number) =>
  new Date(Date.parse(`${to}T00:00:00Z`) - (days - 1) * dayMs).toISOString().slice(0, 10);

// The shared fixture cancels a few users only; a real service cancels some every day, which is
// what crowds the axis. One more cancelled user per day over the last year gives every bucket.
beforeAll(async () => {
  const { db } = harness;
  const template = await db
    .selectFrom('trusted.dim_user')
    .selectAll()
    .where('is_current', '=', true)
    .where('subscription_status', '=', 'cancelled')
    .orderBy('user_key')
    .limit(1)
    .executeTakeFirstOrThrow();
  await db
    .insertInto('trusted.dim_user')
    .values(
      Array.from({ length: 365 }, (_, day) => ({
        ...template,
        user_key: 9_000_000 + day,
        user_id: `daily_cancellation_${day}`,
        cancelled_date_key: Number(
          new Date(Date.parse(`${fromFor(365)}T00:00:00Z`) + day * dayMs)
            .toISOString()
            .slice(0, 10)
            .replaceAll('-', ''),
        ),
      })),
    )
    .execute();
});

type Point = readonly [number, number];
/** A drawn label: its text and the four corners of its box on the canvas (rotation included). */
interface DrawnLabel {
  readonly text: string;
  readonly corners: readonly Point[];
}

/** Whether two convex boxes overlap by more than half a pixel (separating axis test). */
function overlap(a: readonly Point[], b: readonly Point[]): boolean {
  for (const shape of [a, b])
    for (let index = 0; index < shape.length; index += 1) {
      const [x1, y1] = shape[index]!;
      const [x2, y2] = shape[(index + 1) % shape.length]!;
      const length = Math.hypot(x2 - x1, y2 - y1);
      const normal: Point = [(y1 - y2) / length, (x2 - x1) / length];
      const project = (points: readonly Point[]) =>
        points.map(([x, y]) => x * normal[0] + y * normal[1]);
      const [pa, pb] = [project(a), project(b)];
      const gap =
        Math.min(Math.max(...pa), Math.max(...pb)) - Math.max(Math.min(...pa), Math.min(...pb));
      if (gap <= 0.5) return false;
    }
  return true;
}

describe('date axis labels (issue 14)', () => {
  it.each([30, 90, 365].flatMap((days) => [1440, 1024, 390].map((width) => [days, width])))(
    '"Cancellations over time" draws its date labels without overlap over %i days at %i px',
    async (days, width) => {
      const { page, base } = harness;
      await page.setViewportSize({ width, height: 900 });
      await page.goto(`${base}/users?from=${fromFor(days)}&to=${to}`, {
        waitUntil: 'networkidle',
      });
      // The x axis's drawn text boxes (after rotation), from ECharts' own scene graph: labels it
      // hid to avoid overlap are `ignore`d and not drawn.
      const { categories, labels } = await page.evaluate(() => {
        interface Element {
          type: string;
          ignore?: boolean;
          invisible?: boolean;
          style?: { text?: string; fontSize?: number; verticalAlign?: string };
          transform?: number[] | null;
          updateTransform(): void;
          getBoundingRect(): { x: number; y: number; width: number; height: number };
        }
        interface Chart {
          getModel(): { getComponent(kind: string, index: number): unknown };
          getViewOfComponentModel(model: unknown): {
            group: { traverse(visit: (element: Element) => void): void };
          };
          getOption(): { xAxis: { data: string[] }[] };
        }
        const chart = (globalThis as unknown as { reelhouseCharts: Record<string, Chart> })
          .reelhouseCharts['churn_over_time']!;
        const axis = chart.getViewOfComponentModel(chart.getModel().getComponent('xAxis', 0));
        const drawn: DrawnLabel[] = [];
        axis.group.traverse((element) => {
          if (element.type !== 'text' || element.ignore === true || element.invisible === true)
            return;
          const text = element.style?.text ?? '';
          if (text === '') return;
          element.updateTransform();
          // The measured width, and the font size as the height: headless Chromium measures text
          // a few pixels high, which would let rotated labels pass for apart (ECharts' own
          // hideOverlap is misled the same way).
          const { x, width } = element.getBoundingRect();
          const height = element.style?.fontSize ?? 12;
          const y = { top: 0, middle: -height / 2, bottom: -height }[
            element.style?.verticalAlign ?? 'top'
          ]!;
          const [a, b, c, d, e, f] = element.transform ?? [1, 0, 0, 1, 0, 0];
          const corners = (
            [
              [x, y],
              [x + width, y],
              [x + width, y + height],
              [x, y + height],
            ] as const
          ).map(([px, py]): [number, number] => [a! * px + c! * py + e!, b! * px + d! * py + f!]);
          drawn.push({ text, corners });
        });
        return { categories: chart.getOption().xAxis[0]!.data, labels: drawn };
      });
      // Every day (weeks over a year) has cancellations: the axis holds 30, 90 or 53 dates.
      expect(categories.length).toBe(days === 365 ? 53 : days);
      // Enough dates to read the axis: at least a few, spread over it.
      expect(labels.length).toBeGreaterThanOrEqual(3);
      const overlapping = labels.flatMap((a, index) =>
        labels
          .slice(index + 1)
          .filter((b) => overlap(a.corners, b.corners))
          .map((b) => `${a.text} × ${b.text}`),
      );
      expect(overlapping).toEqual([]);
    },
  );
});
