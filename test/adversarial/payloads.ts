import { xssPayloads } from '../support/shared.ts';

/** A hostile value: how it is sent (a JS string, or raw bytes for what a string cannot hold). */
export interface Payload {
  name: string;
  value: string;
  /** Percent-encoded bytes to send instead of the value (broken UTF-8). */
  rawForm?: string;
}

/**
 * Hostile text for every free-text field: the XSS polyglots of the shared
 * data, and what breaks naive string handling.
 */
export function hostilePayloads(): Payload[] {
  return [
    ...xssPayloads().map((value, i) => ({ name: `xss polyglot ${i + 1}`, value })),
    { name: 'script tag', value: '<script>alert(document.cookie)</script>' },
    { name: 'img onerror', value: '<img src=x onerror=alert(1)>' },
    { name: 'NUL bytes', value: 'before\u0000after\u0000' },
    { name: 'lone surrogates', value: 'half \uD800 pair \uDFFF end' },
    { name: 'right-to-left override', value: 'invoice\u202Etxt.exe and \u2066isolate\u2069' },
    { name: 'zero-width joiners', value: 'a\u200Db\u200Cc\u200B d 👩\u200D👩\u200D👧' },
    { name: 'SQL metacharacters', value: "' OR 1=1; -- \" ; DROP TABLE claims; /* */ \\ %_" },
    { name: 'formula', value: '=HYPERLINK("http://evil.example","click")' },
    { name: 'template syntax', value: '<%= process.env %> ${process.exit()} {{7*7}}' },
    { name: 'broken UTF-8', value: '', rawForm: 'broken%C3%28bytes%FF%FEend%ED%A0%80' },
    { name: '100,000 characters', value: 'x'.repeat(100_000) },
  ];
}
