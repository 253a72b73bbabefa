import { http as mswHttp, HttpResponse } from 'msw';

import { problem } from '@/testing/data';
import { server } from '@/testing/server';
import { signedInAs } from '@/testing/session';

import { apiRequest } from './api-client';
import { ApiError } from './api-error';
import { accessToken, getSessionState, memoryRefreshToken } from './tokens';

describe('apiRequest', () => {
  it('turns problem+json into an ApiError with field errors and the request ID', async () => {
    server.use(
      mswHttp.post('/api/v1/products', () =>
        HttpResponse.json(problem(422, 'validation', 'some fields are invalid', [{ field: 'sku', message: 'must not be empty' }]), {
          status: 422,
          headers: { 'Content-Type': 'application/problem+json' },
        }),
      ),
    );
    const err = await apiRequest({ url: '/api/v1/products', method: 'POST', data: {} }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(ApiError);
    const e = err as ApiError;
    expect(e.status).toBe(422);
    expect(e.is('validation')).toBe(true);
    expect(e.fieldError('sku')).toBe('must not be empty');
    expect(e.requestId).toBe('req-1');
    expect(e.detail).toBe('some fields are invalid');
  });

  it('sends JSON with the caller’s extra headers, the bearer token, and only the query parameters that are set', async () => {
    signedInAs(undefined, 'access-9');
    let seen: { url: URL; type: string | null; key: string | null; auth: string | null; body: unknown } | undefined;
    server.use(
      mswHttp.post('/api/v1/orders', async ({ request }) => {
        seen = {
          url: new URL(request.url),
          type: request.headers.get('Content-Type'),
          key: request.headers.get('Idempotency-Key'),
          auth: request.headers.get('Authorization'),
          body: await request.json(),
        };
        return HttpResponse.json({ id: 'o1' }, { status: 201 });
      }),
    );
    const res = await apiRequest(
      { url: '/api/v1/orders', method: 'POST', params: { a: 1, b: undefined, c: null, d: true }, headers: { 'Content-Type': 'application/json' }, data: { items: [] } },
      { headers: { 'Idempotency-Key': 'k-1' } },
    );
    expect(res).toEqual({ id: 'o1' });
    expect(Object.fromEntries(seen!.url.searchParams)).toEqual({ a: '1', d: 'true' });
    expect(seen).toMatchObject({ type: 'application/json', key: 'k-1', auth: 'Bearer access-9', body: { items: [] } });
  });

  it('passes on the caller’s cancellation as it is, not as an API error', async () => {
    server.use(mswHttp.get('/api/v1/me', () => new Promise<never>(() => {})));
    const abort = new AbortController();
    const pending = apiRequest({ url: '/api/v1/me', method: 'GET', signal: abort.signal }).catch((e: unknown) => e);
    abort.abort();
    const err = await pending;
    expect(err).not.toBeInstanceOf(ApiError);
    expect((err as Error).name).toBe('AbortError');
  });

  it('reports a request the server leaves unanswered past the timeout as an ApiError with status 0', async () => {
    server.use(mswHttp.get('/api/v1/me', () => new Promise<never>(() => {})));
    const err = (await apiRequest({ url: '/api/v1/me', method: 'GET' }, { timeout: 50 }).catch((e: unknown) => e)) as ApiError;
    expect(err).toBeInstanceOf(ApiError);
    expect(err.status).toBe(0);
    expect(err.detail).toMatch(/did not answer in time/);
  });

  it('returns undefined for a response without a body', async () => {
    server.use(mswHttp.delete('/api/v1/products/p1', () => new HttpResponse(null, { status: 204 })));
    expect(await apiRequest({ url: '/api/v1/products/p1', method: 'DELETE' })).toBeUndefined();
  });

  it('reports a network failure as an ApiError with status 0', async () => {
    server.use(mswHttp.get('/api/v1/me', () => HttpResponse.error()));
    const err = (await apiRequest({ url: '/api/v1/me', method: 'GET' }).catch((e: unknown) => e)) as ApiError;
    expect(err).toBeInstanceOf(ApiError);
    expect(err.status).toBe(0);
    expect(err.detail).toMatch(/could not be reached/);
  });

  it('refreshes once on a 401 and retries with the new token; concurrent calls share the refresh', async () => {
    signedInAs(undefined, 'old-access', 'refresh-1');
    let refreshes = 0;
    server.use(
      mswHttp.get('/api/v1/me', ({ request }) =>
        request.headers.get('Authorization') === 'Bearer new-access'
          ? HttpResponse.json({ ok: true })
          : HttpResponse.json(problem(401, 'invalid-token', 'expired'), { status: 401 }),
      ),
      mswHttp.post('/api/v1/auth/refresh', async ({ request }) => {
        refreshes++;
        expect(request.headers.get('Authorization')).toBeNull();
        expect(await request.json()).toEqual({ refresh_token: 'refresh-1' });
        return HttpResponse.json({ access_token: 'new-access', refresh_token: 'refresh-2', token_type: 'Bearer', expires_in: 900 });
      }),
    );
    const results = await Promise.all([apiRequest({ url: '/api/v1/me', method: 'GET' }), apiRequest({ url: '/api/v1/me', method: 'GET' })]);
    expect(results).toEqual([{ ok: true }, { ok: true }]);
    expect(refreshes).toBe(1);
    expect(accessToken()).toBe('new-access');
    expect(memoryRefreshToken()).toBe('refresh-2');
  });

  it('retries a 401 with the token another request has put in place meanwhile, without a second refresh', async () => {
    signedInAs(undefined, 'old-access', 'refresh-1');
    let refreshes = 0;
    server.use(
      mswHttp.get('/api/v1/me', async ({ request }) => {
        if (request.headers.get('Authorization') === 'Bearer newer-access') return HttpResponse.json({ ok: true });
        // The token changes while this request is in flight, as when a sign-in completes.
        signedInAs(undefined, 'newer-access', 'refresh-2');
        return HttpResponse.json(problem(401, 'invalid-token', 'expired'), { status: 401 });
      }),
      mswHttp.post('/api/v1/auth/refresh', () => {
        refreshes++;
        return HttpResponse.json(problem(401, 'invalid-refresh-token', 'spent'), { status: 401 });
      }),
    );
    expect(await apiRequest({ url: '/api/v1/me', method: 'GET' })).toEqual({ ok: true });
    expect(refreshes).toBe(0);
    expect(getSessionState().status).toBe('signed-in');
  });

  it('ends the session as expired when the refresh is refused', async () => {
    signedInAs(undefined, 'old-access', 'spent');
    server.use(
      mswHttp.get('/api/v1/me', () => HttpResponse.json(problem(401, 'invalid-token', 'expired'), { status: 401 })),
      mswHttp.post('/api/v1/auth/refresh', () => HttpResponse.json(problem(401, 'invalid-refresh-token', 'spent'), { status: 401 })),
    );
    const err = (await apiRequest({ url: '/api/v1/me', method: 'GET' }).catch((e: unknown) => e)) as ApiError;
    expect(err.status).toBe(401);
    expect(getSessionState()).toMatchObject({ status: 'signed-out', expired: true, user: null });
    expect(accessToken()).toBeNull();
  });
});
