import sniffHTMLEncoding from 'html-encoding-sniffer';

/**
 * The text of an uploaded (or fetched) file, decoded as it declares itself:
 * a byte order mark, then the transport's charset (an HTTP Content-Type),
 * then an HTML <meta charset> in its first 1024 bytes (the HTML standard's
 * sniffing algorithm, html-encoding-sniffer). Decoding is Node's own
 * TextDecoder (ICU: windows-125x, KOI8-R/U, Shift_JIS, EUC-JP, GB18030,
 * ISO-8859-x ...). A file that declares nothing must be UTF-8: null when it is not.
 */
export function decodeText(bytes: Uint8Array, transportCharset: string | null = null): string | null {
  const encoding = sniffHTMLEncoding(bytes, { defaultEncoding: 'UTF-8', ...(transportCharset ? { transportLayerEncodingLabel: transportCharset } : {}) });
  try {
    return new TextDecoder(encoding, { fatal: encoding === 'UTF-8', ignoreBOM: false }).decode(bytes);
  } catch {
    // Bytes that are not the UTF-8 they default to, or (on a Node built without full ICU) an encoding it cannot decode.
    return null;
  }
}
