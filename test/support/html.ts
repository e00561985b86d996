import assert from 'node:assert/strict';
import { JSDOM } from 'jsdom';

/**
 * Parses a page as a browser would and checks that no markup came from user
 * text: no event-handler attributes, no scripts but the app's own, no SVG or
 * iframe the app did not put there, no javascript: links.
 */
export function assertNoInjectedMarkup(html: string, where: string): void {
  const { document } = new JSDOM(html).window;
  const handlers = [...document.querySelectorAll('*')].filter((el) => [...el.attributes].some((a) => a.name.toLowerCase().startsWith('on')));
  assert.equal(handlers.length, 0, `${where}: an element has an event handler attribute: ${handlers[0]?.outerHTML.slice(0, 200)}`);
  const scripts = [...document.querySelectorAll('script')].filter((s) => !s.getAttribute('src')?.startsWith('/public/js/'));
  assert.equal(scripts.length, 0, `${where}: a script the app did not write`);
  assert.equal(document.querySelectorAll('iframe, object, embed, img[src^="javascript:"]').length, 0, `${where}: an embedded element`);
  // A verdict label's colour dot is the app's only when it is exactly its one circle, filled with a colour code.
  const swatch = (s: Element) => s.classList.contains('swatch') && /^<circle cx="5" cy="5" r="5" fill="#[0-9a-f]{6}"><\/circle>$/.test(s.innerHTML.trim());
  const svgs = [...document.querySelectorAll('svg')].filter((s) => !s.classList.contains('progress') && !s.classList.contains('chart') && !swatch(s));
  assert.equal(svgs.length, 0, `${where}: an SVG the app did not draw`);
  const links = [...document.querySelectorAll('[href], [src], [action], [formaction]')].filter((el) =>
    ['href', 'src', 'action', 'formaction'].some((a) => /^\s*(javascript|data|vbscript):/i.test(el.getAttribute(a) ?? '')),
  );
  assert.equal(links.length, 0, `${where}: a javascript: or data: link: ${links[0]?.outerHTML.slice(0, 200)}`);
}
