/**
 * The one Axios instance every API call goes through. It adds the bearer token from memory,
 * retries a request once after a silent refresh when the API answers 401, and turns every
 * failure into an ApiError (RFC 9457 problem details, typed). The generated client uses
 * apiRequest as its mutator: orval's axios mode hands it request configs ({ url, method,
 * params, data, headers, signal }).
 */
import axios, { AxiosError, type AxiosRequestConfig, type InternalAxiosRequestConfig } from 'axios';

import { ApiError, toApiError } from './api-error';
import { accessToken, clearSession, memoryRefreshToken, readCookie, setTokens } from './tokens';

/** The request header that asks the API to keep the refresh token in an httpOnly cookie. */
export const REFRESH_MODE_HEADER = { 'X-Refresh-Token-Mode': 'cookie' } as const;

/**
 * http is the shared Axios instance, same origin (the dev server proxies /api). A request
 * that takes longer than 20 s fails as unanswered (ETIMEDOUT rather than a generic abort).
 */
export const http = axios.create({
  headers: { Accept: 'application/json' },
  timeout: 20_000,
  transitional: { clarifyTimeoutError: true },
});

interface RetriableConfig extends InternalAxiosRequestConfig {
  /** set once the request has been sent again after a 401. */
  _retried?: boolean;
  /** the access token the request was sent with. */
  _token?: string | null;
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
      const res = inMemory
        ? await http.post<TokenResponse>('/api/v1/auth/refresh', { refresh_token: inMemory })
        : await http.post<TokenResponse>('/api/v1/auth/refresh', {}, { headers: { ...REFRESH_MODE_HEADER, 'X-CSRF-Token': csrf ?? '' } });
      acceptTokens(res.data);
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

http.interceptors.request.use((config: RetriableConfig) => {
  const token = accessToken();
  // The refresh itself goes without a bearer token, as the API expects.
  if (token && config.url !== '/api/v1/auth/refresh' && !config.headers.has('Authorization')) {
    config.headers.set('Authorization', `Bearer ${token}`);
    config._token = token;
  }
  return config;
});

/**
 * The response interceptor retries a 401 on a request sent with a token once: after a refresh,
 * or straight away when another request has replaced the token meanwhile. A refused refresh
 * ends the session as expired. Every failure leaves as an ApiError, except the caller's own
 * cancellation, which is rethrown as the caller's abort reason.
 */
http.interceptors.response.use(undefined, async (error: unknown) => {
  if (!(error instanceof AxiosError)) throw error;
  const config = error.config as RetriableConfig | undefined;
  if (axios.isCancel(error)) throw config?.signal?.aborted ? (config.signal as AbortSignal).reason : error;
  if (error.code === AxiosError.ETIMEDOUT) throw new ApiError({ status: 0, detail: 'The server did not answer in time. Try again.' });
  const status = error.response?.status ?? 0;
  if (status === 401 && config && config._token && !config._retried && !noRetryPaths.includes(config.url ?? '')) {
    config._retried = true;
    if (config._token !== accessToken() || (await refreshSession())) {
      config.headers.delete('Authorization');
      return http(config);
    }
    clearSession(true);
  }
  throw toApiError(status, error.response?.data, String(error.response?.headers['x-request-id'] ?? ''));
});

/**
 * apiRequest sends a request and returns its body (undefined when there is none); options are
 * merged over the request, headers key by key. Throws ApiError (see the interceptors above).
 */
export async function apiRequest<T>(config: AxiosRequestConfig, options?: AxiosRequestConfig): Promise<T> {
  const res = await http.request<T>({ ...config, ...options, headers: { ...config.headers, ...options?.headers } });
  return (res.data === '' ? undefined : res.data) as T;
}

/** ErrorType is the error every generated hook reports. */
export type ErrorType<_E> = ApiError;

/** BodyType is the request body type of generated mutations. */
export type BodyType<B> = B;
