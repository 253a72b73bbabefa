import { http as mswHttp, HttpResponse } from 'msw';

import { user } from '@/testing/data';
import { server } from '@/testing/server';

import { refreshSession } from './api-client';
import { restoreSession, signIn, signOut } from './session';
import { accessToken, getSessionState, memoryRefreshToken, setSession } from './tokens';

const me = mswHttp.get('/api/v1/me', () => HttpResponse.json(user()));

describe('session', () => {
  it('asks for cookie mode and, when the body has no refresh token, refreshes with the CSRF cookie', async () => {
    const seen: { mode: string | null; csrf: string | null; body: unknown }[] = [];
    server.use(
      me,
      mswHttp.post('/api/v1/auth/login', ({ request }) => {
        expect(request.headers.get('X-Refresh-Token-Mode')).toBe('cookie');
        document.cookie = 'csrf_token=csrf-abc; path=/';
        return HttpResponse.json({ access_token: 'a1', token_type: 'Bearer', expires_in: 900 });
      }),
      mswHttp.post('/api/v1/auth/refresh', async ({ request }) => {
        seen.push({ mode: request.headers.get('X-Refresh-Token-Mode'), csrf: request.headers.get('X-CSRF-Token'), body: await request.json() });
        return HttpResponse.json({ access_token: 'a2', token_type: 'Bearer', expires_in: 900 });
      }),
    );
    await signIn('ada@example.com', 'secret-password');
    expect(getSessionState()).toMatchObject({ status: 'signed-in', user: { email: 'ada@example.com' } });
    expect(memoryRefreshToken()).toBeNull();
    expect(localStorage.length + sessionStorage.length).toBe(0);

    expect(await refreshSession()).toBe(true);
    expect(seen).toEqual([{ mode: 'cookie', csrf: 'csrf-abc', body: {} }]);
    expect(accessToken()).toBe('a2');
  });

  it('falls back to holding the refresh token in memory when the API returns it in the body', async () => {
    let refreshBody: unknown;
    server.use(
      me,
      mswHttp.post('/api/v1/auth/login', () => HttpResponse.json({ access_token: 'a1', refresh_token: 'r1', token_type: 'Bearer', expires_in: 900 })),
      mswHttp.post('/api/v1/auth/refresh', async ({ request }) => {
        refreshBody = await request.json();
        return HttpResponse.json({ access_token: 'a2', refresh_token: 'r2', token_type: 'Bearer', expires_in: 900 });
      }),
    );
    await signIn('ada@example.com', 'secret-password');
    expect(memoryRefreshToken()).toBe('r1');
    expect(await refreshSession()).toBe(true);
    expect(refreshBody).toEqual({ refresh_token: 'r1' });
    expect(memoryRefreshToken()).toBe('r2');
  });

  it('restores a session on load from the cookie, and sends nothing without one', async () => {
    let refreshes = 0;
    server.use(
      me,
      mswHttp.post('/api/v1/auth/refresh', () => {
        refreshes++;
        return HttpResponse.json({ access_token: 'a9', token_type: 'Bearer', expires_in: 900 });
      }),
    );
    setSession({ status: 'restoring' });
    await restoreSession();
    expect(refreshes).toBe(0);
    expect(getSessionState().status).toBe('signed-out');

    document.cookie = 'csrf_token=csrf-xyz; path=/';
    setSession({ status: 'restoring' });
    await restoreSession();
    expect(refreshes).toBe(1);
    expect(getSessionState()).toMatchObject({ status: 'signed-in', user: { email: 'ada@example.com' } });
  });

  it('signs out in cookie mode with the bearer token, the CSRF header and an empty body', async () => {
    let logout: { auth: string | null; csrf: string | null; body: unknown } | undefined;
    server.use(
      me,
      mswHttp.post('/api/v1/auth/login', () => {
        document.cookie = 'csrf_token=csrf-1; path=/';
        return HttpResponse.json({ access_token: 'a1', token_type: 'Bearer', expires_in: 900 });
      }),
      mswHttp.post('/api/v1/auth/logout', async ({ request }) => {
        logout = { auth: request.headers.get('Authorization'), csrf: request.headers.get('X-CSRF-Token'), body: await request.json() };
        return new HttpResponse(null, { status: 204 });
      }),
    );
    await signIn('ada@example.com', 'secret-password');
    await signOut();
    expect(logout).toEqual({ auth: 'Bearer a1', csrf: 'csrf-1', body: {} });
    expect(getSessionState()).toMatchObject({ status: 'signed-out', user: null, expired: false });
    expect(accessToken()).toBeNull();
  });
});
