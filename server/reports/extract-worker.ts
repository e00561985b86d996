/**
 * The HTML import's work, in a worker thread (server/reports/extract.ts runs
 * it with a time and memory limit): JSDOM parses the page with no script run
 * and nothing fetched, Readability finds the article, and the article's HTML
 * goes back as text with what the page says about itself. Nothing here
 * touches the database or the request.
 */
import { isProbablyReaderable, Readability } from '@mozilla/readability';
import { JSDOM } from 'jsdom';
import { htmlToPlain } from './html-text.ts';

/** What a page gives the import. */
export interface ExtractedPage {
  /** The article as plain text (or the whole body's, when Readability found none), captions kept, empty list items gone. */
  body: string;
  title: string | null;
  byline: string | null;
  siteName: string | null;
  publishedTime: string | null;
  /** Readability's own check that the page is an article, not a sign-in form or an index. */
  readerable: boolean;
}

export default function extract({ html }: { html: string }): ExtractedPage {
  const dom = new JSDOM(html, { runScripts: undefined, resources: undefined, url: 'https://import.invalid/' });
  try {
    const document = dom.window.document;
    // Numbered lists of images leave "1. 2. 3." lines behind: drop list items with no text.
    for (const li of [...document.querySelectorAll('li')]) if (!li.textContent?.trim()) li.remove();
    const readerable = isProbablyReaderable(document);
    const title = document.querySelector('meta[property="og:title"]')?.getAttribute('content') ?? document.title;
    const article = new Readability(document, { keepClasses: false }).parse();
    return {
      body: htmlToPlain(article?.content ?? document.body?.innerHTML ?? ''),
      title: article?.title || title || null,
      byline: article?.byline ?? null,
      siteName: article?.siteName ?? null,
      publishedTime: article?.publishedTime ?? null,
      readerable,
    };
  } finally {
    dom.window.close();
  }
}
