import { screen, waitFor } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { http, HttpResponse } from 'msw';

import { order, problem, product } from '@/testing/data';
import { renderApp } from '@/testing/render';
import { server } from '@/testing/server';
import { signedInAs } from '@/testing/session';

import { addToCart, readCart } from './hooks/use-cart';

function fillCart() {
  const p = product();
  addToCart({ product_id: p.id, name: p.name, price_cents: p.price_cents, currency: p.currency }, 2);
}

describe('checkout', () => {
  it('places one order for a double click, under one Idempotency-Key, and opens the order page', async () => {
    signedInAs();
    fillCart();
    const placed = order({ items: [{ ...order().items[0], quantity: 2, line_total_cents: 5198 }], total_cents: 5198 });
    const posts: { key: string | null; body: unknown }[] = [];
    server.use(
      http.post('/api/v1/orders', async ({ request }) => {
        posts.push({ key: request.headers.get('Idempotency-Key'), body: await request.json() });
        return HttpResponse.json(placed, { status: 201 });
      }),
      http.get(`/api/v1/orders/${placed.id}`, () => HttpResponse.json(placed)),
    );
    const { router } = renderApp('/cart');
    const button = await screen.findByRole('button', { name: 'Place order' });
    await userEvent.dblClick(button);

    expect(await screen.findByRole('heading', { name: 'Order 000000f1' })).toBeInTheDocument();
    expect(router.state.location.pathname).toBe(`/orders/${placed.id}`);
    expect(screen.getByText(/your order is placed/i)).toBeInTheDocument();
    expect(posts).toHaveLength(1);
    expect(posts[0].key).toMatch(/^[0-9a-f-]{36}$/);
    expect(posts[0].body).toEqual({ items: [{ product_id: product().id, quantity: 2 }] });
    expect(readCart().lines).toEqual([]);
  });

  it('shows a refusal and retries with the same key, keeping the cart', async () => {
    signedInAs();
    fillCart();
    const keys: (string | null)[] = [];
    server.use(
      http.post('/api/v1/orders', ({ request }) => {
        keys.push(request.headers.get('Idempotency-Key'));
        return HttpResponse.json(problem(503, 'unavailable', 'the database is unreachable; try again shortly'), { status: 503 });
      }),
    );
    renderApp('/cart');
    await userEvent.click(await screen.findByRole('button', { name: 'Place order' }));
    expect(await screen.findByRole('alert')).toHaveTextContent('the database is unreachable');
    await userEvent.click(screen.getByRole('button', { name: 'Place order' }));
    await waitFor(() => expect(keys).toHaveLength(2));
    expect(keys[0]).toBe(keys[1]);
    expect(readCart().lines).toHaveLength(1);
  });

  it('asks a signed-out visitor to sign in before checking out', async () => {
    fillCart();
    renderApp('/cart');
    expect(await screen.findByRole('link', { name: 'Sign in to check out' })).toHaveAttribute('href', '/sign-in?next=/cart');
    expect(screen.queryByRole('button', { name: 'Place order' })).not.toBeInTheDocument();
  });

  it('gives a changed cart a new Idempotency-Key', () => {
    fillCart();
    const before = readCart().checkoutKey;
    addToCart({ product_id: 'other', name: 'Mug', price_cents: 500, currency: 'USD' });
    expect(readCart().checkoutKey).not.toBe(before);
  });
});
