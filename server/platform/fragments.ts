import { readFileSync } from 'node:fs';
import path from 'node:path';
import ejs from 'ejs';

/** The small partials that lists repeat once per row (a badge, a summary, a bar). */
const FRAGMENTS = ['status', 'evidence-summary', 'rating', 'progress'] as const;
export type FragmentName = (typeof FRAGMENTS)[number];

/**
 * Renders one of the small partials straight from its compiled template, with
 * only the data it needs. An EJS include per row looks the file up on disk
 * and copies every local the page has; on a report with 300 claims that was
 * most of the page's rendering time. The partials stay ordinary EJS (their
 * output escaped as anywhere else); views print the result with <%- %>.
 */
export function createFragments(viewsDir: string, shared: Record<string, unknown>, options: { cache: boolean }): (name: FragmentName, data: Record<string, unknown>) => string {
  const compiled = new Map<FragmentName, ejs.TemplateFunction>();
  const template = (name: FragmentName): ejs.TemplateFunction => {
    const known = options.cache ? compiled.get(name) : undefined;
    if (known) return known;
    const filename = path.join(viewsDir, 'partials', `${name}.ejs`);
    const fn = ejs.compile(readFileSync(filename, 'utf8'), { filename, rmWhitespace: true }) as ejs.TemplateFunction;
    compiled.set(name, fn);
    return fn;
  };
  return (name, data) => {
    if (!FRAGMENTS.includes(name)) throw new Error(`unknown fragment ${name}`);
    return template(name)({ ...shared, ...data }) as string;
  };
}
