/**
 * Geometry for the dashboard's small SVG charts, computed on the server so
 * the page needs no chart library and no script. Each chart comes with the
 * same numbers as rows, for the text equivalent.
 */

export interface Bar {
  x: number;
  y: number;
  width: number;
  height: number;
  className: string;
  title: string;
}

export interface BarChart {
  width: number;
  height: number;
  bars: Bar[];
  labels: { x: number; y: number; text: string }[];
  max: number;
}

/** Vertical stacked bars, one per column, each split into series (bottom to top). */
export function stackedColumns(columns: { label: string; values: { series: string; value: number; title: string }[] }[], options = { width: 560, height: 180 }): BarChart {
  const bottom = options.height - 22;
  const top = 8;
  const max = Math.max(1, ...columns.map((c) => c.values.reduce((s, v) => s + v.value, 0)));
  const step = options.width / Math.max(1, columns.length);
  const barWidth = Math.max(4, step * 0.62);
  const bars: Bar[] = [];
  const labels: BarChart['labels'] = [];
  columns.forEach((column, i) => {
    const x = i * step + (step - barWidth) / 2;
    let y = bottom;
    for (const v of column.values) {
      if (v.value <= 0) continue;
      const h = ((bottom - top) * v.value) / max;
      y -= h;
      bars.push({ x: round(x), y: round(y), width: round(barWidth), height: round(h), className: `bar--${v.series}`, title: v.title });
    }
    labels.push({ x: round(i * step + step / 2), y: options.height - 6, text: column.label });
  });
  return { width: options.width, height: options.height, bars, labels, max };
}

/** Horizontal bars, one per row (for the queue's age buckets). */
export function horizontalBars(rows: { label: string; value: number; series: string }[], options = { width: 340, rowHeight: 26 }): BarChart {
  const labelWidth = 110;
  const max = Math.max(1, ...rows.map((r) => r.value));
  const span = options.width - labelWidth - 40;
  const bars: Bar[] = rows.map((r, i) => ({
    x: labelWidth,
    y: i * options.rowHeight + 4,
    width: round(Math.max(r.value > 0 ? 2 : 0, (span * r.value) / max)),
    height: options.rowHeight - 8,
    className: `bar--${r.series}`,
    title: `${r.label}: ${r.value}`,
  }));
  const labels = rows.flatMap((r, i) => [
    { x: 0, y: i * options.rowHeight + options.rowHeight / 2 + 4, text: r.label },
    { x: labelWidth + (bars[i]?.width ?? 0) + 6, y: i * options.rowHeight + options.rowHeight / 2 + 4, text: String(r.value) },
  ]);
  return { width: options.width, height: rows.length * options.rowHeight, bars, labels, max };
}

const round = (n: number) => Math.round(n * 10) / 10;
