import { screen, waitFor } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { http, HttpResponse } from 'msw';

import type { PipelineStatus } from '@/lib/generated/api.schemas';
import { user } from '@/testing/data';
import { renderApp } from '@/testing/render';
import { server } from '@/testing/server';
import { signedInAs } from '@/testing/session';

function status(checkpoint: number, target: number, state: string, wf: string): PipelineStatus {
  const p = {
    checkpoint: 100,
    lag_events: 0,
    lag_seconds: 0,
    parked: 0,
    updated_at: '2026-01-01T00:00:00Z',
    rebuild: { workflow_id: 'rebuild-order_history', status: wf, progress: { Name: 'order_history', State: state, Checkpoint: checkpoint, Target: target, StartedAt: '', FinishedAt: '' } },
  };
  return {
    outbox: { pending: 3, oldest_pending_seconds: 1.5, last_position: 100 },
    projections: [
      { ...p, name: 'order_history' },
      { ...p, name: 'product_sales', rebuild: null },
    ],
  } as PipelineStatus;
}

describe('pipeline page', () => {
  it('starts a rebuild and follows its progress to 100 %', async () => {
    signedInAs(user({ role: 'admin' }));
    let started = false;
    let polls = 0;
    server.use(
      http.get('/api/v1/admin/events', () => {
        if (!started) return HttpResponse.json(status(0, 0, 'done', 'Completed'));
        polls++;
        return HttpResponse.json(polls < 2 ? status(40, 100, 'replaying', 'Running') : status(100, 100, 'done', 'Completed'));
      }),
      http.get('/api/v1/admin/parked-events', () => HttpResponse.json({ items: [] })),
      http.post('/api/v1/admin/projections/order_history/rebuild', () => {
        started = true;
        return HttpResponse.json({ workflow_id: 'rebuild-order_history' }, { status: 202 });
      }),
    );
    renderApp('/admin');
    expect(await screen.findByRole('heading', { name: 'Event pipeline' })).toBeInTheDocument();
    expect(await screen.findByText('No parked events: every event was applied.')).toBeInTheDocument();
    expect(screen.getByRole('link', { name: /outbox-publisher/ })).toHaveAttribute('href', expect.stringContaining('/workflows/outbox-publisher'));

    await userEvent.click(screen.getByRole('button', { name: 'Rebuild order_history' }));
    const bar = await screen.findByRole('progressbar', { name: 'Rebuild of order_history' });
    await waitFor(() => expect(bar).toHaveAttribute('aria-valuenow', '40'));
    await waitFor(() => expect(bar).toHaveAttribute('aria-valuenow', '100'), { timeout: 5000 });
    expect(started).toBe(true);
  });

  it('keeps customers out of the staff pages', async () => {
    signedInAs(user({ role: 'customer' }));
    renderApp('/admin');
    expect(await screen.findByText('This page is for staff accounts.')).toBeInTheDocument();
  });
});
