import { screen, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { http, HttpResponse } from 'msw';

import { historyEntry, historyPage, order, problem } from '@/testing/data';
import { renderApp } from '@/testing/render';
import { server } from '@/testing/server';
import { signedInAs } from '@/testing/session';

describe('order history', () => {
  it('says it is catching up and refreshes itself until it has', async () => {
    signedInAs();
    let calls = 0;
    server.use(
      http.get('/api/v1/orders', () => {
        calls++;
        return calls === 1 ? HttpResponse.json(historyPage([], 6, 7)) : HttpResponse.json(historyPage([historyEntry()], 7, 7));
      }),
    );
    renderApp('/orders');
    expect(await screen.findByText(/Catching up: 1 recent change is not shown yet/)).toBeInTheDocument();
    expect(await screen.findByText(/Up to date/, undefined, { timeout: 5000 })).toBeInTheDocument();
    const list = screen.getByRole('list', { name: 'Orders' });
    expect(within(list).getAllByRole('listitem')).toHaveLength(1);
    expect(within(list).getByText('1 × Steel Kettle')).toBeInTheDocument();
  });

  it('shows the empty state for a customer without orders', async () => {
    signedInAs();
    server.use(http.get('/api/v1/orders', () => HttpResponse.json(historyPage([], 3, 3))));
    renderApp('/orders');
    expect(await screen.findByText('No orders yet.')).toBeInTheDocument();
  });

  it('sends a signed-out visitor to sign in, and back afterwards', async () => {
    const { router } = renderApp('/orders');
    expect(await screen.findByRole('heading', { name: 'Sign in' })).toBeInTheDocument();
    expect(router.state.location.search).toBe('?next=%2Forders');
  });
});

describe('order page', () => {
  it('cancels a placed order and shows the refusal of one that moved on', async () => {
    signedInAs();
    const o = order();
    let cancels = 0;
    server.use(
      http.get(`/api/v1/orders/${o.id}`, () => HttpResponse.json(o)),
      http.post(`/api/v1/orders/${o.id}/cancel`, () => {
        cancels++;
        return cancels === 1
          ? HttpResponse.json(problem(409, 'invalid-transition', 'the order is already paid'), { status: 409 })
          : HttpResponse.json({ ...o, status: 'cancelled' });
      }),
    );
    renderApp(`/orders/${o.id}`);
    await userEvent.click(await screen.findByRole('button', { name: 'Cancel order' }));
    expect(await screen.findByRole('alert')).toHaveTextContent('the order is already paid');
    await userEvent.click(screen.getByRole('button', { name: 'Cancel order' }));
    expect(await screen.findByText('cancelled')).toBeInTheDocument();
    expect(screen.queryByRole('button', { name: 'Cancel order' })).not.toBeInTheDocument();
  });
});
