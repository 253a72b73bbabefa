/**
 * The one Axios instance every API call goes through. It adds the bearer token, retries a
 * request once after a silent refresh when the API answers 401, and turns every failure into an
 * ApiError (RFC 9457 problem details, typed). The generated client uses apiRequest as its mutator.
 */
import axios, { type AxiosRequestConfig, type InternalAxiosRequestConfig } from 'axios';

import { ApiError, toApiError } from './api-error';
import { accessToken, clearSession, memoryRefreshToken, readCookie, setTokens } from './tokens';

/** The request header that asks the API to keep the refresh token in an httpOnly cookie. */
export const REFRESH_MODE_HEADER = { 'X-Refresh-Token-Mode': 'cookie' } as const;

/** http is the shared Axios instance, same origin (the dev server proxies /api). */
export const http = axios.create({
  headers: { Accept: 'application/json' },
  withCredentials: true,
  timeout: 20_000,
});

interface RetriableConfig extends InternalAxiosRequestConfig {
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
 * Resolves false (and forgets the session) when the refresh is refused.
 */
export function refreshSession(): Promise<boolean> {
  refreshing ??= (async () => {
    try {
      const inMemory = memoryRefreshToken();
      const csrf = readCookie('csrf_token');
      if (!inMemory && !csrf) return false;
      const res = inMemory
        ? await http.post<TokenResponse>('/api/v1/auth/refresh', { refresh_token: inMemory })
        : await http.post<TokenResponse>('/api/v1/auth/refresh', {}, {
            headers: { ...REFRESH_MODE_HEADER, 'X-CSRF-Token': csrf ?? '' },
          });
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

const noRetryPaths = ['/api/v1/auth/login', '/api/v1/auth/refresh', '/api/v1/auth/register', '/api/v1/auth/logout'];

http.interceptors.request.use((config: RetriableConfig) => {
  const token = accessToken();
  if (token && !config.headers.has('Authorization')) {
    config.headers.set('Authorization', `Bearer ${token}`);
    config._token = token;
  }
  return config;
});

http.interceptors.response.use(undefined, async (error: unknown) => {
  if (axios.isCancel(error) || !axios.isAxiosError(error)) throw error;
  const config = error.config as RetriableConfig | undefined;
  const status = error.response?.status ?? 0;
  if (status === 401 && config && !config._retried && !noRetryPaths.includes(config.url ?? '') && accessToken()) {
    config._retried = true;
    // Sent with a token that has been replaced since: retry with the new one, no refresh.
    const rotated = config._token && config._token !== accessToken();
    if (rotated || (await refreshSession())) {
      config.headers.delete('Authorization');
      return http(config);
    }
    clearSession(true);
  }
  const requestId = String(error.response?.headers?.['x-request-id'] ?? '');
  throw toApiError(status, error.response?.data, requestId);
});

/** apiRequest is the generated client's mutator: it sends a request and returns the body. */
export function apiRequest<T>(config: AxiosRequestConfig, options?: AxiosRequestConfig): Promise<T> {
  return http.request<T>({ ...config, ...options }).then((res) => res.data);
}

/** ErrorType is the error every generated hook reports. */
export type ErrorType<_E> = ApiError;

/** BodyType is the request body type of generated mutations. */
export type BodyType<B> = B;
