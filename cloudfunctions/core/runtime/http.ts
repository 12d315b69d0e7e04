// Functions behind an HTTP trigger (CloudBase "HTTP access") take CloudBase's
// integration event and return status, headers and body. The local gateway
// builds the same event from its own requests.

export interface HttpEvent {
  httpMethod: string;
  path: string;
  headers: Record<string, string | undefined>;
  queryStringParameters: Record<string, string>;
  /** The raw body text: signatures are checked over these exact bytes. */
  body: string;
  isBase64Encoded: boolean;
}

export interface HttpResult {
  statusCode: number;
  headers?: Record<string, string>;
  body?: string;
}

export type HttpMain = (event: HttpEvent) => Promise<HttpResult>;

/** Header names are case-insensitive; CloudBase passes them as the client sent them. */
export function lowerCasedHeaders(headers: HttpEvent['headers'] | undefined): Record<string, string | undefined> {
  const out: Record<string, string | undefined> = {};
  for (const [name, value] of Object.entries(headers ?? {})) out[name.toLowerCase()] = value;
  return out;
}

/** The exact body bytes as text, whether or not the trigger base64-encoded them. */
export function rawBody(event: HttpEvent): string {
  return event.isBase64Encoded ? Buffer.from(event.body ?? '', 'base64').toString('utf8') : (event.body ?? '');
}
