import { screen, waitFor } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { http, HttpResponse } from 'msw';

import { product } from '@/testing/data';
import { renderApp } from '@/testing/render';
import { server } from '@/testing/server';

const categories = http.get('/api/v1/categories', () => HttpResponse.json({ items: [{ name: 'Kitchen', product_count: 3 }, { name: 'Sports', product_count: 9 }] }));

describe('catalogue', () => {
  it('reads its filters from the URL and keeps new ones there', async () => {
    const queries: URLSearchParams[] = [];
    server.use(
      categories,
      http.get('/api/v1/products', ({ request }) => {
        const q = new URL(request.url).searchParams;
        queries.push(q);
        return HttpResponse.json({ items: [product({ name: `Kettle page ${q.get('page')}` })], page: Number(q.get('page')), page_size: 24, total: 60 });
      }),
    );
    const { router } = renderApp('/?q=kettle&category=Kitchen&min=10&sort=-price_cents&page=2');
    expect(await screen.findByText('Kettle page 2')).toBeInTheDocument();
    const first = queries[0];
    expect(Object.fromEntries(first)).toEqual({ q: 'kettle', category: 'Kitchen', min_price_cents: '1000', sort: '-price_cents', page: '2', page_size: '24' });

    const box = screen.getByRole('searchbox', { name: 'Search products' });
    expect(box).toHaveValue('kettle');
    await userEvent.clear(box);
    await userEvent.type(box, 'teapot{Enter}');
    await waitFor(() => expect(router.state.location.search).toBe('?q=teapot&category=Kitchen&min=10&sort=-price_cents'));
    await waitFor(() => expect(queries.at(-1)?.get('q')).toBe('teapot'));
    expect(queries.at(-1)?.get('page')).toBe('1');

    await userEvent.click(await screen.findByRole('button', { name: 'Next' }));
    await waitFor(() => expect(new URLSearchParams(router.state.location.search).get('page')).toBe('2'));
  });

  it('shows an empty state when nothing matches', async () => {
    server.use(categories, http.get('/api/v1/products', () => HttpResponse.json({ items: [], page: 1, page_size: 24, total: 0 })));
    renderApp('/?q=nothing');
    expect(await screen.findByText('No products match these filters.')).toBeInTheDocument();
  });

  it('adds a product to the cart from the list', async () => {
    server.use(categories, http.get('/api/v1/products', () => HttpResponse.json({ items: [product()], page: 1, page_size: 24, total: 1 })));
    renderApp('/');
    await userEvent.click(await screen.findByRole('button', { name: 'Add to cart: Steel Kettle' }));
    expect(await screen.findByText('Added ✓')).toBeInTheDocument();
    expect(screen.getByRole('navigation', { name: 'Main' })).toHaveTextContent('Cart1 items');
  });
});

describe('product page', () => {
  it('hides similar products while the endpoint does not exist', async () => {
    const p = product();
    server.use(
      http.get(`/api/v1/products/${p.id}`, () => HttpResponse.json(p)),
      http.get(`/api/v1/products/${p.id}/similar`, () => HttpResponse.json({ type: 'urn:problem-type:orders:no-such-endpoint', status: 404, title: 'Not Found', detail: 'no', instance: '', request_id: 'r' }, { status: 404 })),
    );
    renderApp(`/products/${p.id}`);
    expect(await screen.findByRole('heading', { name: 'Steel Kettle' })).toBeInTheDocument();
    await waitFor(() => expect(screen.queryByRole('heading', { name: 'Similar products' })).not.toBeInTheDocument());
    expect(screen.queryByRole('alert')).not.toBeInTheDocument();
  });

  it('shows similar products with their reasons once the endpoint answers', async () => {
    const p = product();
    const other = product({ id: '00000000-0000-4000-8000-000000000002', name: 'Copper Kettle' });
    server.use(
      http.get(`/api/v1/products/${p.id}`, () => HttpResponse.json(p)),
      http.get(`/api/v1/products/${p.id}/similar`, () => HttpResponse.json({ items: [{ ...other, score: 0.9, reason: 'also a kettle' }] })),
    );
    renderApp(`/products/${p.id}`);
    expect(await screen.findByRole('heading', { name: 'Similar products' })).toBeInTheDocument();
    expect(screen.getByText('Copper Kettle')).toBeInTheDocument();
    expect(screen.getByText('also a kettle')).toBeInTheDocument();
  });
});
