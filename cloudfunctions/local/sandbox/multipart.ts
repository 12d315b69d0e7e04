// A minimal multipart/form-data reader for the media upload. The request
// signature covers the `meta` part byte for byte, so the parts are kept raw
// (a general-purpose parser would hand back a re-parsed JSON object).
export interface Part {
  name: string;
  filename?: string;
  contentType?: string;
  data: Buffer;
}

export function boundaryOf(contentType: string | undefined): string | null {
  const m = /^multipart\/form-data\s*;(?:.*;)?\s*boundary=(?:"([^"]+)"|([^\s;]+))/i.exec(contentType ?? '');
  return m ? (m[1] ?? m[2]) : null;
}

/** Splits a multipart body into its parts; throws on anything malformed. */
export function parseMultipart(body: Buffer, boundary: string): Part[] {
  const delimiter = Buffer.from(`--${boundary}`);
  const parts: Part[] = [];
  let pos = body.indexOf(delimiter);
  if (pos < 0) throw new Error('no multipart boundary in the body');
  for (;;) {
    pos += delimiter.length;
    if (body.subarray(pos, pos + 2).toString() === '--') return parts; // closing delimiter
    if (body.subarray(pos, pos + 2).toString() !== '\r\n') throw new Error('malformed multipart delimiter line');
    const headerEnd = body.indexOf('\r\n\r\n', pos + 2);
    if (headerEnd < 0) throw new Error('multipart part without headers');
    const headers = body
      .subarray(pos + 2, headerEnd)
      .toString('utf8')
      .split('\r\n');
    const next = body.indexOf(Buffer.concat([Buffer.from('\r\n'), delimiter]), headerEnd + 4);
    if (next < 0) throw new Error('unterminated multipart part');
    const part: Part = { name: '', data: body.subarray(headerEnd + 4, next) };
    for (const line of headers) {
      const [key, ...rest] = line.split(':');
      const value = rest.join(':').trim();
      if (key.trim().toLowerCase() === 'content-disposition') {
        part.name = /\bname="([^"]*)"/i.exec(value)?.[1] ?? '';
        const filename = /\bfilename="([^"]*)"/i.exec(value)?.[1];
        if (filename !== undefined) part.filename = filename;
      } else if (key.trim().toLowerCase() === 'content-type') part.contentType = value;
    }
    parts.push(part);
    pos = next + 2;
  }
}
