/**
 * Scoring a report's sentences, in a worker thread (server/reports/extract.ts
 * runs it with a time limit): a 1 MB report has some ten thousand sentences,
 * each matched against every feature, which is not work for the thread that
 * answers requests.
 */
import { suggestFrom, type Suggestion } from './checkworthiness.ts';
import { sentencesOf } from './sentences.ts';

export default function suggest({ body }: { body: string }): Suggestion[] {
  return suggestFrom(sentencesOf(body));
}
