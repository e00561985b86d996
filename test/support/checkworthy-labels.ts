import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { scoreSentence, suggestFrom } from '../../server/reports/checkworthiness.ts';
import { sentencesOf, type Sentence } from '../../server/reports/sentences.ts';
import { normaliseBody } from '../../server/reports/text.ts';
import { SHARED } from './shared.ts';

const FIXTURES = path.join(path.dirname(fileURLToPath(import.meta.url)), '..', 'fixtures');

interface LabelFile {
  reports: { file: string; lang: string; sentences: { n: number; sha: string; checkable: boolean }[] }[];
}

/** A labelled report: its sentences, each with the label a person gave it. */
export interface LabelledReport {
  file: string;
  lang: string;
  body: string;
  sentences: (Sentence & { checkable: boolean })[];
  /** Labels whose sentence the splitter no longer gives (the text or the splitter changed). */
  unmatched: number;
}

const sha = (text: string) => createHash('sha256').update(text, 'utf8').digest('hex').slice(0, 12);

/** The reports of test/fixtures/checkworthy/labels.json, the shared fixture read from ../shared. Labels are matched by their sentence's hash. */
export function labelledReports(): LabelledReport[] {
  const labels = JSON.parse(readFileSync(path.join(FIXTURES, 'checkworthy', 'labels.json'), 'utf8')) as LabelFile;
  return labels.reports.map((r) => {
    const raw = r.file.startsWith('shared/') ? readFileSync(path.join(SHARED, r.file.slice('shared/'.length)), 'utf8') : readFileSync(path.join(FIXTURES, r.file), 'utf8');
    const body = normaliseBody(raw);
    const bySha = new Map(r.sentences.map((s) => [s.sha, s.checkable]));
    const sentences = sentencesOf(body).flatMap((s) => (bySha.has(sha(s.text)) ? [{ ...s, checkable: bySha.get(sha(s.text))! }] : []));
    return { file: r.file, lang: r.lang, body, sentences, unmatched: r.sentences.length - sentences.length };
  });
}

/** How the scorer does on one report: precision of its top third by score, and precision and recall of what it suggests. */
export function measure(report: LabelledReport) {
  const ranked = report.sentences.map((s, i) => ({ s, i, score: scoreSentence(s.text).score })).sort((a, b) => b.score - a.score || a.i - b.i);
  const third = ranked.slice(0, Math.ceil(ranked.length / 3));
  const suggested = new Set(suggestFrom(report.sentences).map((s) => s.start));
  const picked = report.sentences.filter((s) => suggested.has(s.start));
  const checkable = report.sentences.filter((s) => s.checkable).length;
  return {
    sentences: report.sentences.length,
    checkable,
    topThird: third.length,
    topThirdCorrect: third.filter((t) => t.s.checkable).length,
    suggested: picked.length,
    suggestedCorrect: picked.filter((s) => s.checkable).length,
  };
}
