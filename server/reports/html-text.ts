import { convert } from 'html-to-text';

/**
 * HTML to paragraphs of plain text: no hard wrapping, no link targets,
 * headings as they are written, images left out but their captions kept
 * (a caption often holds a checkable statement).
 */
export function htmlToPlain(html: string): string {
  const asIs = { uppercase: false };
  return convert(html, {
    wordwrap: false,
    selectors: [
      { selector: 'a', options: { ignoreHref: true } },
      { selector: 'img', format: 'skip' },
      { selector: 'picture', format: 'skip' },
      { selector: 'figure', format: 'block' },
      { selector: 'figcaption', format: 'paragraph' },
      { selector: 'h1', options: asIs },
      { selector: 'h2', options: asIs },
      { selector: 'h3', options: asIs },
      { selector: 'h4', options: asIs },
      { selector: 'h5', options: asIs },
      { selector: 'h6', options: asIs },
      { selector: 'table', options: asIs },
    ],
  });
}
