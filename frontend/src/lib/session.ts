/**
 * Signing in and out, restoring a session on page load, and the useSession hook. Sign-in asks for
 * cookie mode; if the API answers with the refresh token in the body instead, it is kept in memory.
 */
import { useSyncExternalStore } from 'react';

import { acceptTokens, apiRequest, REFRESH_MODE_HEADER, refreshSession, type TokenResponse } from './api-client';
import type { User } from './generated/api.schemas';
import {
  accessToken,
  clearSession,
  getSessionState,
  memoryRefreshToken,
  readCookie,
  setSession,
  subscribeSession,
  type SessionState,
} from './tokens';

function loadUser(): Promise<User> {
  return apiRequest<User>({ url: '/api/v1/me', method: 'GET' });
}

/** signIn exchanges credentials for tokens and loads the user; throws ApiError when refused. */
export async function signIn(email: string, password: string): Promise<User> {
  acceptTokens(await apiRequest<TokenResponse>({ url: '/api/v1/auth/login', method: 'POST', data: { email, password }, headers: REFRESH_MODE_HEADER }));
  try {
    const user = await loadUser();
    setSession({ status: 'signed-in', user, expired: false });
    return user;
  } catch (err) {
    clearSession();
    throw err;
  }
}

/**
 * restoreSession tries one cookie refresh on page load, so a reload keeps the user signed in.
 * It resolves when the session state is known either way.
 */
export async function restoreSession(): Promise<void> {
  if (getSessionState().status !== 'restoring') return;
  if (!readCookie('csrf_token') || !(await refreshSession())) {
    clearSession();
    return;
  }
  try {
    setSession({ status: 'signed-in', user: await loadUser(), expired: false });
  } catch {
    clearSession();
  }
}

/** signOut revokes the refresh token on the server (best effort) and forgets the session. */
export async function signOut(): Promise<void> {
  const token = accessToken();
  const inMemory = memoryRefreshToken();
  try {
    if (token && inMemory) {
      await apiRequest({ url: '/api/v1/auth/logout', method: 'POST', data: { refresh_token: inMemory } });
    } else if (token) {
      await apiRequest({
        url: '/api/v1/auth/logout',
        method: 'POST',
        data: {},
        headers: { ...REFRESH_MODE_HEADER, 'X-CSRF-Token': readCookie('csrf_token') ?? '' },
      });
    }
  } catch {
    // The tokens are forgotten below either way; the refresh token expires on its own.
  } finally {
    clearSession();
  }
}

/** useSession returns the current session and re-renders on every change. */
export function useSession(): SessionState {
  return useSyncExternalStore(subscribeSession, getSessionState, getSessionState);
}

/** hasRole says whether the user may use staff pages (staff and admin) or admin pages. */
export function hasRole(user: User | null, need: 'staff' | 'admin'): boolean {
  if (!user) return false;
  return need === 'admin' ? user.role === 'admin' : user.role === 'staff' || user.role === 'admin';
}
