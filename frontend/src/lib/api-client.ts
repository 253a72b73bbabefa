/**
 * The one HTTP client every API call goes through, on the browser's fetch. It adds the bearer
 * token, retries a request once after a silent refresh when the API answers 401, and turns
 * every failure into an ApiError (RFC 9457 problem details, typed). The generated client uses
 * apiRequest as its mutator: orval hands it request objects ({ url, method, params, data,
 * headers, signal }), the calling convention of its axios mode, which is all it needs.
 */
import { ApiError, toApiError } from './api-error';
import { accessToken, clearSession, memoryRefreshToken, readCookie, setTokens } from './tokens';

/** The request header that asks the API to keep the refresh token in an httpOnly cookie. */
export const REFRESH_MODE_HEADER = { 'X-Refresh-Token-Mode': 'cookie' } as const;

/** How long a request may take before it fails as unanswered. */
const TIMEOUT_MS = 20_000;

/** RequestConfig is one API request: a same-origin path, its query, its JSON body and headers. */
export interface RequestConfig {
  url: string;
  method: string;
  /** query parameters; undefined and null ones are left out. */
  params?: object;
  /** the JSON body. */
  data?: unknown;
  headers?: Record<string, string>;
  signal?: AbortSignal;
}

/** TokenResponse is the body of sign-in and refresh; refresh_token is absent in cookie mode. */
export interface TokenResponse {
  access_token: string;
  refresh_token?: string;
  token_type: string;
  expires_in: number;
}

/** acceptTokens stores a sign-in or refresh response: the refresh token only if the body has one. */
export function acceptTokens(body: TokenResponse) {
  setTokens(body.access_token, body.refresh_token ?? null);
}

function urlOf(c: RequestConfig): string {
  const url = new URL(c.url, window.location.origin);
  for (const [k, v] of Object.entries(c.params ?? {})) {
    if (v !== undefined && v !== null) url.searchParams.set(k, String(v));
  }
  return url.href;
}

async function bodyOf(res: Response): Promise<unknown> {
  const text = await res.text();
  if (!text) return undefined;
  try {
    return JSON.parse(text);
  } catch {
    return text;
  }
}

/**
 * send makes one request with the given bearer token (none when null) and returns the parsed
 * body, or throws an ApiError; a request the caller aborted rethrows the caller's abort.
 */
async function send(c: RequestConfig, token: string | null): Promise<unknown> {
  const headers = new Headers({ Accept: 'application/json', ...c.headers });
  if (token && !headers.has('Authorization')) headers.set('Authorization', `Bearer ${token}`);
  const hasBody = c.data !== undefined;
  if (hasBody && !headers.has('Content-Type')) headers.set('Content-Type', 'application/json');
  const timeout = AbortSignal.timeout(TIMEOUT_MS);
  let res: Response;
  try {
    res = await fetch(urlOf(c), {
      method: c.method,
      headers,
      body: hasBody ? JSON.stringify(c.data) : undefined,
      signal: c.signal ? AbortSignal.any([c.signal, timeout]) : timeout,
    });
  } catch (err) {
    if (c.signal?.aborted) throw err;
    throw timeout.aborted
      ? new ApiError({ status: 0, detail: 'The server did not answer in time. Try again.' })
      : toApiError(0, undefined);
  }
  const body = await bodyOf(res).catch(() => undefined);
  if (!res.ok) throw toApiError(res.status, body, res.headers.get('X-Request-ID') ?? '');
  return body;
}

let refreshing: Promise<boolean> | null = null;

/**
 * refreshSession gets a new access token, from the in-memory refresh token when there is one,
 * else from the httpOnly cookie with the CSRF token. Concurrent callers share one request.
 * Resolves false when the refresh is refused or impossible.
 */
export function refreshSession(): Promise<boolean> {
  refreshing ??= (async () => {
    try {
      const inMemory = memoryRefreshToken();
      const csrf = readCookie('csrf_token');
      if (!inMemory && !csrf) return false;
      const tokens = inMemory
        ? await send({ url: '/api/v1/auth/refresh', method: 'POST', data: { refresh_token: inMemory } }, null)
        : await send({ url: '/api/v1/auth/refresh', method: 'POST', data: {}, headers: { ...REFRESH_MODE_HEADER, 'X-CSRF-Token': csrf ?? '' } }, null);
      acceptTokens(tokens as TokenResponse);
      return true;
    } catch {
      return false;
    } finally {
      refreshing = null;
    }
  })();
  return refreshing;
}

// Requests whose 401 means wrong credentials or a spent token, never an expired access token.
const noRetryPaths = ['/api/v1/auth/login', '/api/v1/auth/refresh', '/api/v1/auth/register', '/api/v1/auth/logout'];

/**
 * apiRequest sends a request and returns its body; options are merged over the request (headers
 * key by key). A 401 on a request sent with a token triggers one refresh and one retry (or just
 * the retry when another request has replaced the token meanwhile); a refused refresh ends the
 * session as expired. Throws ApiError.
 */
export async function apiRequest<T>(config: RequestConfig, options?: Partial<RequestConfig>): Promise<T> {
  const c: RequestConfig = { ...config, ...options, headers: { ...config.headers, ...options?.headers } };
  const token = accessToken();
  try {
    return (await send(c, token)) as T;
  } catch (err) {
    if (!(err instanceof ApiError) || err.status !== 401 || !token || noRetryPaths.includes(c.url)) throw err;
    if (token !== accessToken() || (await refreshSession())) return (await send(c, accessToken())) as T;
    clearSession(true);
    throw err;
  }
}

/** ErrorType is the error every generated hook reports. */
export type ErrorType<_E> = ApiError;

/** BodyType is the request body type of generated mutations. */
export type BodyType<B> = B;
