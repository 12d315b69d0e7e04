// Functions behind an HTTP trigger (CloudBase "HTTP access"), by name. They
// take CloudBase's integration event and return status, headers and body.
import { main as payNotify } from '../payNotify';

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

export const httpFunctions: Record<string, HttpMain> = {
  payNotify,
};
