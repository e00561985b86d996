// The benchmark's output: the printed table, the targets, and the results
// files (JSON with machine info, EXPLAIN plans beside it).
import { formatBulk, type BulkBenchResult } from './bulk-actions.ts';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { ExportResult } from './exports.ts';
import type { GeneratedInfo } from './generate.ts';
import type { DownloadResult, LoadResult } from './measure.ts';
import { ROOT } from './processes.ts';
import type { QueueCheck, TakeNextResult } from './take-next.ts';

export interface ReadScenarioResult {
  name: string;
  label: string;
  path: string;
  factdesk: LoadResult;
  baseline: LoadResult | null;
  /** Factdesk req/s over baseline req/s. */
  ratio: number | null;
  /** Target: ratio >= 0.5 and p95 < 50 ms. */
  pass: boolean | null;
  seqScans: string[];
}

export interface Machine {
  cpu: string;
  cores: number;
  memoryGb: number;
  node: string;
  postgres: string;
  platform: string;
  /** 1-minute load average when the benchmark started and when it ended (other work on the machine skews the numbers). */
  loadAverage: { start: number; end: number };
}

export interface BenchResults {
  date: string;
  mode: 'server' | 'embedded';
  scale: number;
  settings: { connections: number; durationSeconds: number; warmupSeconds: number; takeNextLoops: number; deepPages: number };
  machine: Machine;
  dataset: GeneratedInfo;
  datasetProblems: string[];
  scenarios: ReadScenarioResult[];
  takeNext: (TakeNextResult & { check: QueueCheck | null; pass: boolean }) | null;
  exports: (ExportResult & { copy: DownloadResult | null; csvRatio: number | null; xlsxRatio: number | null; pass: boolean }) | null;
  bulk?: BulkBenchResult[];
  notes: string[];
}

export const TARGETS = {
  readRatio: 0.5,
  readP95Ms: 50,
  takesPerSecond: 500,
  exportRatio: 0.5,
  exportRssGrowthMb: 64,
  exportFirstByteMs: 500,
} as const;

/** CPU, cores, memory, Node and PostgreSQL versions. */
export function machineInfo(postgres: string, loadAtStart: number): Machine {
  let cpu = os.cpus()[0]?.model ?? 'unknown';
  try {
    cpu = /model name\s*:\s*(.+)/.exec(readFileSync('/proc/cpuinfo', 'utf8'))?.[1]?.trim() ?? cpu;
  } catch {
    // not Linux: os.cpus() will do
  }
  return { cpu, cores: os.cpus().length, memoryGb: Math.round(os.totalmem() / 1e9), node: process.version, postgres, platform: `${os.type()} ${os.release()}`, loadAverage: { start: loadAtStart, end: Math.round(os.loadavg()[0]! * 100) / 100 } };
}

/** Whether a read scenario meets its targets. */
export function readPass(f: LoadResult, ratio: number | null): boolean | null {
  if (ratio === null) return null;
  return ratio >= TARGETS.readRatio && f.p95 < TARGETS.readP95Ms && f.non2xx === 0 && f.errors === 0;
}

const pad = (s: string | number, n: number, left = false) => (left ? String(s).padStart(n) : String(s).padEnd(n));
const yes = (b: boolean | null) => (b === null ? 'n/a' : b ? 'met' : 'MISSED');

/** The results as the table the benchmark prints. */
export function formatResults(r: BenchResults): string {
  const lines: string[] = [];
  lines.push(`Factdesk benchmark, ${r.mode} database, scale ${r.scale} (${r.dataset.counts.claims} claims), ${r.machine.cpu} x${r.machine.cores}, Node ${r.machine.node}`);
  lines.push(`PostgreSQL: ${r.machine.postgres}`);
  lines.push(`load average (1 min) at start ${r.machine.loadAverage.start}, at end ${r.machine.loadAverage.end}; data set generated in ${r.dataset.seconds} s (${r.dataset.textSource} text)`);
  lines.push('');
  lines.push(`${pad('scenario', 34)} ${pad('req/s', 8, true)} ${pad('p50', 7, true)} ${pad('p95', 7, true)} ${pad('p99', 7, true)} ${pad('base r/s', 9, true)} ${pad('ratio', 6, true)}  target`);
  for (const s of r.scenarios) {
    const f = s.factdesk;
    lines.push(
      `${pad(s.label, 34)} ${pad(f.rps, 8, true)} ${pad(f.p50, 7, true)} ${pad(f.p95, 7, true)} ${pad(f.p99, 7, true)} ${pad(s.baseline?.rps ?? '-', 9, true)} ${pad(s.ratio ?? '-', 6, true)}  ${yes(s.pass)}${f.non2xx || f.errors ? ` (${f.non2xx} non-2xx, ${f.errors} errors)` : ''}`,
    );
  }
  lines.push('(latencies in ms; target: ratio >= 0.5 and p95 < 50 ms)');
  const t = r.takeNext;
  if (t) {
    lines.push('');
    lines.push(`6 take next: ${t.takes} claims taken by ${t.loops} loops over ${t.sessions} sessions in ${t.seconds} s = ${t.takesPerSecond} takes/s (first tenth ${t.firstTenthPerSecond}/s, last tenth ${t.lastTenthPerSecond}/s); errors ${t.errors}; ids handed out twice (client) ${t.duplicateIdsSeen}`);
    if (t.check) lines.push(`  database: taken twice ${t.check.takenTwice}, assignee mismatch ${t.check.assigneeMismatch}, left unassigned ${t.check.leftUnassigned}, assignment events ${t.check.assignmentEvents}`);
    lines.push(`  target >= ${TARGETS.takesPerSecond} takes/s and zero duplicates: ${yes(t.pass)}`);
  }
  const e = r.exports;
  if (e) {
    lines.push('');
    const row = (label: string, d: DownloadResult, ratio: number | null) =>
      `  ${pad(label, 10)} status ${d.status}, ${d.rows ?? '?'} rows, ${Math.round(d.bytes / 1024)} KB, first byte ${d.firstByteMs} ms, total ${d.totalMs} ms, ${d.rowsPerSecond ?? '?'} rows/s${ratio !== null ? ` (${ratio} x COPY)` : ''}${d.peakRssGrowthMb !== null ? `, peak RSS growth ${d.peakRssGrowthMb} MB` : ''}`;
    lines.push('7 export of verified claims:');
    lines.push(row('CSV', e.csv, e.csvRatio));
    lines.push(row('XLSX', e.xlsx, e.xlsxRatio));
    if (e.copy) lines.push(row('COPY', e.copy, null));
    lines.push(`  target CSV >= ${TARGETS.exportRatio} x COPY rows/s, RSS growth < ${TARGETS.exportRssGrowthMb} MB, first byte < ${TARGETS.exportFirstByteMs} ms: ${yes(e.pass)}`);
  }
  if (r.bulk?.length) lines.push('', ...formatBulk(r.bulk));
  const scans = r.scenarios.flatMap((s) => s.seqScans.map((l) => `  ${s.label}: ${l}`));
  lines.push('');
  lines.push(scans.length ? `SEQUENTIAL SCANS of big tables in the recorded queries:\n${scans.join('\n')}` : 'No sequential scan of claims, evidence_links or claim_events in the recorded queries.');
  if (r.datasetProblems.length) lines.push(`DATA SET PROBLEMS: ${r.datasetProblems.join('; ')}`);
  for (const n of r.notes) lines.push(`note: ${n}`);
  return lines.join('\n');
}

/** Writes test/bench/results/<date>-<mode>.json and -explain.txt; returns their paths. */
export function writeResults(r: BenchResults, explain: string): { json: string; explain: string } {
  const dir = path.join(ROOT, 'test/bench/results');
  mkdirSync(dir, { recursive: true });
  const base = path.join(dir, `${r.date}-${r.mode}`);
  writeFileSync(`${base}.json`, `${JSON.stringify(r, null, 2)}\n`);
  writeFileSync(`${base}-explain.txt`, explain);
  return { json: `${base}.json`, explain: `${base}-explain.txt` };
}
