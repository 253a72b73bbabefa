/**
 * The session's tokens, held in memory only. The access token never touches storage; the
 * refresh token lives in an httpOnly cookie the API sets (cookie mode), or, against an API that
 * does not offer cookie mode yet, in this module's memory until the page is closed.
 */
import type { User } from './generated/api.schemas';

/** SessionStatus says whether the app knows who is signed in yet. */
export type SessionStatus = 'restoring' | 'signed-in' | 'signed-out';

/** SessionState is what components read through useSession. */
export interface SessionState {
  status: SessionStatus;
  user: User | null;
  /** set when a session ended because a refresh failed, so the UI can ask to sign in again. */
  expired: boolean;
}

interface Tokens {
  accessToken: string | null;
  /** only when the API returned the refresh token in the body (no cookie mode). */
  refreshToken: string | null;
}

let tokens: Tokens = { accessToken: null, refreshToken: null };
// Without the CSRF cookie no session can be restored, so the first render already knows the
// visitor is signed out (and the header does not change under them a moment later).
let state: SessionState = { status: readCookie('csrf_token') ? 'restoring' : 'signed-out', user: null, expired: false };
const listeners = new Set<() => void>();

function emit() {
  for (const l of listeners) l();
}

/** accessToken returns the current bearer token, if any. */
export function accessToken(): string | null {
  return tokens.accessToken;
}

/** memoryRefreshToken returns the refresh token held in memory (no cookie mode), if any. */
export function memoryRefreshToken(): string | null {
  return tokens.refreshToken;
}

/** setTokens stores a freshly issued pair; refreshToken is null in cookie mode. */
export function setTokens(accessToken: string, refreshToken: string | null) {
  tokens = { accessToken, refreshToken };
}

/** setSession replaces the visible session state and notifies subscribers. */
export function setSession(next: Partial<SessionState>) {
  state = { ...state, ...next };
  emit();
}

/** clearSession forgets every token; expired marks an involuntary end. */
export function clearSession(expired = false) {
  tokens = { accessToken: null, refreshToken: null };
  state = { status: 'signed-out', user: null, expired };
  emit();
}

/** getSessionState returns the current snapshot (stable between changes). */
export function getSessionState(): SessionState {
  return state;
}

/** subscribeSession registers a listener for session changes and returns its remover. */
export function subscribeSession(listener: () => void): () => void {
  listeners.add(listener);
  return () => listeners.delete(listener);
}

/** readCookie returns a cookie readable by scripts (the CSRF token), or null. */
export function readCookie(name: string): string | null {
  if (typeof document === 'undefined') return null;
  for (const part of document.cookie.split(';')) {
    const [k, ...v] = part.trim().split('=');
    if (k === name) return decodeURIComponent(v.join('='));
  }
  return null;
}
