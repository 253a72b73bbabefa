import { screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { http, HttpResponse } from 'msw';

import { hit, problem, product, productN } from '@/testing/data';
import { renderApp } from '@/testing/render';
import { server } from '@/testing/server';

const categories = http.get('/api/v1/categories', () => HttpResponse.json({ items: [{ name: 'Kitchen', product_count: 3 }, { name: 'Sports', product_count: 9 }] }));

/** Records the query strings of each endpoint the catalogue calls. */
function recordCalls() {
  const calls = { products: [] as Record<string, string>[], search: [] as Record<string, string>[] };
  server.use(
    categories,
    http.get('/api/v1/products', ({ request }) => {
      const q = new URL(request.url).searchParams;
      calls.products.push(Object.fromEntries(q));
      return HttpResponse.json({ items: [product({ name: `Kettle page ${q.get('page')}` })], page: Number(q.get('page')), page_size: 24, total: 60 });
    }),
    http.get('/api/v1/search', ({ request }) => {
      const q = new URL(request.url).searchParams;
      calls.search.push(Object.fromEntries(q));
      const n = Number(q.get('page_size'));
      return HttpResponse.json({ items: Array.from({ length: n }, (_, i) => hit(productN(i + 1), i === 0 ? 'matches your words; similar spelling of its name or SKU' : 'related in meaning', 1 - i / 200)), provider: 'local' });
    }),
  );
  return calls;
}

const params = (search: string) => Object.fromEntries(new URLSearchParams(search));

describe('catalogue without words', () => {
  it('lists products through GET /products with the URL’s filters, sort and page, and keeps changes in the URL', async () => {
    const calls = recordCalls();
    const { router } = renderApp('/?category=Kitchen&min=10&sort=-price_cents&page=2');
    expect(await screen.findByText('Kettle page 2')).toBeInTheDocument();
    expect(calls.products[0]).toEqual({ category: 'Kitchen', min_price_cents: '1000', sort: '-price_cents', page: '2', page_size: '24' });
    expect(screen.getByText('60 products')).toBeInTheDocument();

    await userEvent.selectOptions(screen.getByLabelText('Sort'), 'Price, low to high');
    await waitFor(() => expect(params(router.state.location.search)).toEqual({ category: 'Kitchen', min: '10', sort: 'price_cents' }));
    await waitFor(() => expect(calls.products.at(-1)).toMatchObject({ sort: 'price_cents', page: '1' }));

    await userEvent.click(await screen.findByRole('button', { name: 'Next' }));
    await waitFor(() => expect(params(router.state.location.search).page).toBe('2'));
    expect(calls.search).toEqual([]);
  });

  it('shows an empty state when nothing matches', async () => {
    server.use(categories, http.get('/api/v1/products', () => HttpResponse.json({ items: [], page: 1, page_size: 24, total: 0 })));
    renderApp('/?category=Sports');
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

describe('catalogue search with words', () => {
  it('ranks through GET /search with the filters, in relevance order with each hit’s reason, and keeps the URL', async () => {
    const calls = recordCalls();
    const { router } = renderApp('/?category=Kitchen&sort=-price_cents');
    await screen.findByText('Kettle page 1');

    await userEvent.type(screen.getByRole('searchbox', { name: 'Search products' }), 'tea ketle');
    await userEvent.type(screen.getByLabelText('Max price'), '40');
    await userEvent.click(screen.getByLabelText('In stock only'));
    await userEvent.click(screen.getByRole('button', { name: 'Search' }));
    await waitFor(() => expect(params(router.state.location.search)).toEqual({ category: 'Kitchen', sort: '-price_cents', stock: '1', q: 'tea ketle', max: '40' }));

    await screen.findByText('The 24 best matches for “tea ketle”');
    expect(calls.search.at(-1)).toEqual({ q: 'tea ketle', category: 'Kitchen', max_price_cents: '4000', in_stock: 'true', page_size: '24' });
    const names = screen.getAllByRole('heading', { level: 3 }).map((h) => h.textContent);
    expect(names.slice(0, 3)).toEqual(['Kettle 1', 'Kettle 2', 'Kettle 3']);
    const first = screen.getAllByRole('listitem')[0];
    expect(within(first).getByText('matches your words; similar spelling of its name or SKU')).toBeInTheDocument();

    // Ranked results have no sort: the control says so instead.
    const sort = screen.getByLabelText('Sort');
    expect(sort).toBeDisabled();
    expect(sort).toHaveAccessibleDescription('Search results come best match first. Clear the search to sort.');
    expect(screen.queryByRole('navigation', { name: 'Pagination' })).not.toBeInTheDocument();

    // Clearing the words goes back to the sorted list, the filters and sort still applied.
    await userEvent.clear(screen.getByRole('searchbox', { name: 'Search products' }));
    await userEvent.click(screen.getByRole('button', { name: 'Search' }));
    await waitFor(() => expect(calls.products.at(-1)).toMatchObject({ category: 'Kitchen', sort: '-price_cents', in_stock: 'true', max_price_cents: '4000' }));
    expect(await screen.findByLabelText('Sort')).toBeEnabled();
  });

  it('shows more matches on demand, up to the API’s 100', async () => {
    const calls = recordCalls();
    const { router } = renderApp('/?q=kettle');
    await screen.findByText('The 24 best matches for “kettle”');
    expect(screen.getAllByRole('heading', { level: 3 })).toHaveLength(24);

    await userEvent.click(screen.getByRole('button', { name: 'Show more' }));
    await waitFor(() => expect(params(router.state.location.search)).toEqual({ q: 'kettle', show: '48' }));
    await screen.findByText('The 48 best matches for “kettle”');
    expect(screen.getAllByRole('heading', { level: 3 })).toHaveLength(48);
    expect(calls.search.at(-1)?.page_size).toBe('48');
    expect(new Set(calls.search.map((c) => c.page_size))).toEqual(new Set(['24', '48']));

    // A new search starts again from the first matches.
    const box = screen.getByRole('searchbox', { name: 'Search products' });
    await userEvent.clear(box);
    await userEvent.type(box, 'teapot{Enter}');
    await waitFor(() => expect(params(router.state.location.search)).toEqual({ q: 'teapot' }));
    await screen.findByText('The 24 best matches for “teapot”');
  });

  it('says when it shows the most matches the API gives', async () => {
    recordCalls();
    renderApp('/?q=kettle&show=96');
    await screen.findByText('The 96 best matches for “kettle”');
    await userEvent.click(screen.getByRole('button', { name: 'Show more' }));
    expect(await screen.findByText('These are the 100 best matches. Add words or filters to narrow them.')).toBeInTheDocument();
    expect(screen.queryByRole('button', { name: 'Show more' })).not.toBeInTheDocument();
  });

  it('says when nothing matches, and shows a failed search as an error with a retry', async () => {
    let fail = true;
    server.use(
      categories,
      http.get('/api/v1/search', () =>
        fail ? HttpResponse.json(problem(503, 'unavailable', 'The database is not answering.'), { status: 503 }) : HttpResponse.json({ items: [], provider: 'local' }),
      ),
    );
    renderApp('/?q=zzz');
    expect(await screen.findByRole('alert')).toHaveTextContent('The database is not answering.');
    fail = false;
    await userEvent.click(screen.getByRole('button', { name: 'Try again' }));
    expect(await screen.findByText('Nothing matches “zzz” with these filters.')).toBeInTheDocument();
  });
});

describe('product page', () => {
  it('hides similar products while the endpoint does not exist', async () => {
    const p = product();
    server.use(
      http.get(`/api/v1/products/${p.id}`, () => HttpResponse.json(p)),
      http.get(`/api/v1/products/${p.id}/similar`, () => HttpResponse.json(problem(404, 'not-found', 'no'), { status: 404 })),
    );
    renderApp(`/products/${p.id}`);
    expect(await screen.findByRole('heading', { name: 'Steel Kettle' })).toBeInTheDocument();
    await waitFor(() => expect(screen.queryByRole('heading', { name: 'Similar products' })).not.toBeInTheDocument());
    expect(screen.queryByRole('alert')).not.toBeInTheDocument();
  });

  it('shows similar products with their reasons', async () => {
    const p = product();
    let asked: string | null = null;
    server.use(
      http.get(`/api/v1/products/${p.id}`, () => HttpResponse.json(p)),
      http.get(`/api/v1/products/${p.id}/similar`, ({ request }) => {
        asked = new URL(request.url).searchParams.get('page_size');
        return HttpResponse.json({ items: [hit(productN(2, { name: 'Copper Kettle' }), 'often bought together; alike in content', 0.8)] });
      }),
    );
    renderApp(`/products/${p.id}`);
    const section = (await screen.findByRole('heading', { name: 'Similar products' })).closest('section')!;
    expect(await within(section).findByRole('link', { name: 'Copper Kettle' })).toHaveAttribute('href', '/products/00000000-0000-4000-8000-000000000002');
    expect(within(section).getByText('often bought together; alike in content')).toBeInTheDocument();
    expect(within(section).getByRole('button', { name: 'Add to cart: Copper Kettle' })).toBeEnabled();
    expect(asked).toBe('4');
  });
});
