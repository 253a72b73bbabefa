import { screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { http, HttpResponse } from 'msw';

import { problem, recommendations } from '@/testing/data';
import { renderApp } from '@/testing/render';
import { server } from '@/testing/server';
import { signedInAs } from '@/testing/session';

const catalogue = [
  http.get('/api/v1/categories', () => HttpResponse.json({ items: [] })),
  http.get('/api/v1/products', () => HttpResponse.json({ items: [], page: 1, page_size: 24, total: 0 })),
];

async function section() {
  return (await screen.findByRole('heading', { name: 'Picked for you' })).closest('section')!;
}

describe('recommendations', () => {
  it('shows the picks with their reasons, and that the shop picked them from the customer’s orders', async () => {
    signedInAs();
    let asked: string | null = null;
    server.use(
      ...catalogue,
      http.get('/api/v1/recommendations', ({ request }) => {
        asked = new URL(request.url).searchParams.get('page_size');
        return HttpResponse.json(recommendations());
      }),
    );
    renderApp('/');
    const recs = await section();
    expect(await within(recs).findByRole('link', { name: 'Tea Strainer' })).toBeInTheDocument();
    expect(within(recs).getByText('often bought with Steel Kettle')).toBeInTheDocument();
    expect(within(recs).getByText('Picked from your orders and what other shoppers buy, without a language model.')).toBeInTheDocument();
    expect(within(recs).getByRole('button', { name: 'Add to cart: Tea Strainer' })).toBeEnabled();
    expect(asked).toBe('4');
  });

  it('says when a language model picked them', async () => {
    signedInAs();
    server.use(...catalogue, http.get('/api/v1/recommendations', () => HttpResponse.json(recommendations({ source: 'llm', provider: 'openai' }))));
    renderApp('/');
    expect(await within(await section()).findByText(/^Picked by a language model \(openai\) from your orders/)).toBeInTheDocument();
  });

  it('replaces the local picks with the language model’s once its reranking, under way, is done', async () => {
    signedInAs();
    let calls = 0;
    server.use(
      ...catalogue,
      http.get('/api/v1/recommendations', () => {
        calls += 1;
        return HttpResponse.json(calls === 1 ? recommendations({ refreshing: true }) : recommendations({ source: 'llm', provider: 'openai' }));
      }),
    );
    renderApp('/');
    const recs = await section();
    expect(await within(recs).findByText('Picked from your orders and what other shoppers buy, without a language model.')).toBeInTheDocument();
    expect(await within(recs).findByText(/^Picked by a language model \(openai\)/, {}, { timeout: 6_000 })).toBeInTheDocument();
    expect(calls).toBe(2);
  }, 10_000);

  it('shows a failure with a retry, and nothing at all when the API has no recommendations', async () => {
    signedInAs();
    let status = 500;
    server.use(
      ...catalogue,
      http.get('/api/v1/recommendations', () =>
        status === 200 ? HttpResponse.json(recommendations()) : HttpResponse.json(problem(status, status === 404 ? 'not-found' : 'internal', 'Something failed on our side.'), { status }),
      ),
    );
    renderApp('/');
    const recs = await section();
    expect(await within(recs).findByRole('alert')).toHaveTextContent('Something failed on our side.');
    status = 200;
    await userEvent.click(within(recs).getByRole('button', { name: 'Try again' }));
    expect(await within(recs).findByRole('link', { name: 'Tea Strainer' })).toBeInTheDocument();
  });

  it('leaves the section out when the endpoint does not exist', async () => {
    signedInAs();
    server.use(...catalogue, http.get('/api/v1/recommendations', () => HttpResponse.json(problem(404, 'not-found', 'no'), { status: 404 })));
    renderApp('/');
    await section();
    await waitFor(() => expect(screen.queryByRole('heading', { name: 'Picked for you' })).not.toBeInTheDocument());
    expect(screen.queryByRole('alert')).not.toBeInTheDocument();
  });

  it('asks nothing for visitors who are not signed in', async () => {
    let asked = false;
    server.use(
      ...catalogue,
      http.get('/api/v1/recommendations', () => {
        asked = true;
        return HttpResponse.json(recommendations());
      }),
    );
    renderApp('/');
    expect(await screen.findByText('0 products')).toBeInTheDocument();
    expect(screen.queryByRole('heading', { name: 'Picked for you' })).not.toBeInTheDocument();
    expect(asked).toBe(false);
  });
});
