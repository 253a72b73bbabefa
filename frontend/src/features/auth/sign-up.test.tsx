import { screen } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { http, HttpResponse } from 'msw';

import { getSessionState } from '@/lib/tokens';
import { problem, user } from '@/testing/data';
import { renderApp } from '@/testing/render';
import { server } from '@/testing/server';

describe('sign up', () => {
  it('puts the server’s field errors beside their fields', async () => {
    server.use(
      http.post('/api/v1/auth/register', () =>
        HttpResponse.json(problem(422, 'validation', 'some fields are invalid', [{ field: 'password', message: 'must be at least 8 characters' }]), { status: 422 }),
      ),
    );
    renderApp('/sign-up');
    await userEvent.type(await screen.findByLabelText('Name'), 'Ada');
    await userEvent.type(screen.getByLabelText('Email'), 'ada@example.com');
    await userEvent.type(screen.getByLabelText('Password'), 'short');
    await userEvent.click(screen.getByRole('button', { name: 'Create account' }));
    const password = screen.getByLabelText('Password');
    expect(await screen.findByText('must be at least 8 characters')).toBeInTheDocument();
    expect(password).toHaveAttribute('aria-invalid', 'true');
    expect(password).toHaveAccessibleDescription('must be at least 8 characters');
  });

  it('creates the account, signs in and goes where it was asked to', async () => {
    server.use(
      http.post('/api/v1/auth/register', () => HttpResponse.json(user(), { status: 201 })),
      http.post('/api/v1/auth/login', () => HttpResponse.json({ access_token: 'a1', refresh_token: 'r1', token_type: 'Bearer', expires_in: 900 })),
      http.get('/api/v1/me', () => HttpResponse.json(user())),
      http.get('/api/v1/orders', () => HttpResponse.json({ items: [], next_cursor: null, consistency: { projected_through: 1, latest: 1 } })),
    );
    const { router } = renderApp('/sign-up?next=%2Forders');
    await userEvent.type(await screen.findByLabelText('Name'), 'Ada');
    await userEvent.type(screen.getByLabelText('Email'), 'ada@example.com');
    await userEvent.type(screen.getByLabelText('Password'), 'long-enough-password');
    await userEvent.click(screen.getByRole('button', { name: 'Create account' }));
    expect(await screen.findByRole('heading', { name: 'Your orders' })).toBeInTheDocument();
    expect(router.state.location.pathname).toBe('/orders');
    expect(getSessionState().user?.email).toBe('ada@example.com');
  });

  it('shows a wrong password as an alert on sign-in', async () => {
    server.use(http.post('/api/v1/auth/login', () => HttpResponse.json(problem(401, 'bad-credentials', 'wrong email or password'), { status: 401 })));
    renderApp('/sign-in');
    await userEvent.type(await screen.findByLabelText('Email'), 'ada@example.com');
    await userEvent.type(screen.getByLabelText('Password'), 'nope-nope-nope');
    await userEvent.click(screen.getByRole('button', { name: 'Sign in' }));
    expect(await screen.findByRole('alert')).toHaveTextContent('wrong email or password');
  });
});
