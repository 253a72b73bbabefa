import { screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { http, HttpResponse } from 'msw';

import type { AssistantAnswer } from '@/lib/generated/api.schemas';
import { assistantAnswer, hit, problem, productN } from '@/testing/data';
import { renderApp } from '@/testing/render';
import { server } from '@/testing/server';
import { signedInAs } from '@/testing/session';

/** The catalogue around the assistant, and an assistant that answers with answer. */
function serve(answer: AssistantAnswer) {
  const asked: unknown[] = [];
  const searched: Record<string, string>[] = [];
  server.use(
    http.get('/api/v1/categories', () => HttpResponse.json({ items: [{ name: 'Kitchen', product_count: 3 }] })),
    http.get('/api/v1/products', () => HttpResponse.json({ items: [], page: 1, page_size: 24, total: 0 })),
    http.get('/api/v1/recommendations', () => HttpResponse.json(problem(404, 'not-found', 'no'), { status: 404 })),
    http.get('/api/v1/search', ({ request }) => {
      searched.push(Object.fromEntries(new URL(request.url).searchParams));
      return HttpResponse.json({ items: [hit(productN(3, { name: 'Glass Kettle' }))], provider: 'local' });
    }),
    http.post('/api/v1/assistant/query', async ({ request }) => {
      asked.push(await request.json());
      return HttpResponse.json(answer);
    }),
  );
  return { asked, searched };
}

async function ask(message: string) {
  await userEvent.type(await screen.findByLabelText('What are you looking for?'), message);
  await userEvent.click(screen.getByRole('button', { name: 'Ask' }));
}

describe('assistant', () => {
  it('shows the filters it understood as chips, who read the message, and applies them to the catalogue', async () => {
    signedInAs();
    const { asked, searched } = serve(assistantAnswer());
    const { router } = renderApp('/?sort=-price_cents&page=3');
    await ask('a kettle under 40 dollars, in stock');

    const chips = await screen.findByRole('list', { name: 'Filters understood' });
    expect(within(chips).getAllByRole('listitem').map((li) => li.textContent)).toEqual(['Words: “kettle”', 'Category: Kitchen', 'Up to $40.00', 'In stock']);
    expect(screen.getByText('Read by rules, without a language model.')).toBeInTheDocument();
    expect(within(screen.getByRole('list', { name: 'Products found' })).getByRole('link', { name: 'Steel Kettle' })).toBeInTheDocument();
    expect(asked).toEqual([{ message: 'a kettle under 40 dollars, in stock' }]);

    await userEvent.click(screen.getByRole('button', { name: 'Apply these filters to the catalogue' }));
    await waitFor(() =>
      expect(Object.fromEntries(new URLSearchParams(router.state.location.search))).toEqual({ sort: '-price_cents', q: 'kettle', category: 'Kitchen', max: '40', stock: '1' }),
    );
    await waitFor(() => expect(searched.at(-1)).toEqual({ q: 'kettle', category: 'Kitchen', max_price_cents: '4000', in_stock: 'true', page_size: '24' }));
    expect(await screen.findByRole('searchbox', { name: 'Search products' })).toHaveValue('kettle');
    expect(screen.getByLabelText('Max price')).toHaveValue(40);
  });

  it('names the language model that read the message', async () => {
    signedInAs();
    serve(assistantAnswer({ provider: 'openai', interpreter: 'gpt-4o-mini', prompt: 'assistant.v1' }));
    renderApp('/');
    await ask('kettle');
    expect(await screen.findByText('Read by gpt-4o-mini (openai).')).toBeInTheDocument();
  });

  it('says why the language model was not used when the rules read the message instead', async () => {
    signedInAs();
    serve(assistantAnswer({ fallback: 'timeout', filters: { q: null, category: null, min_price_cents: null, max_price_cents: null, in_stock: false }, items: [] }));
    renderApp('/');
    await ask('anything');
    expect(await screen.findByText('Read by rules, without a language model. The language model was not used: it took too long to answer.')).toBeInTheDocument();
    const box = screen.getByRole('heading', { name: 'Ask the assistant' }).closest('section')!;
    expect(within(box).getByText('nothing to filter by, so these are the cheapest products.')).toBeInTheDocument();
    expect(within(box).getByText('No products match these filters.')).toBeInTheDocument();
    expect(screen.queryByRole('button', { name: 'Apply these filters to the catalogue' })).not.toBeInTheDocument();
  });

  it('shows a refusal beside the box, and hides the box when the API has no assistant', async () => {
    signedInAs();
    serve(assistantAnswer());
    server.use(http.post('/api/v1/assistant/query', () => HttpResponse.json(problem(422, 'validation', 'message: at most 500 characters'), { status: 422 })));
    renderApp('/');
    await ask('too long');
    expect(await screen.findByRole('alert')).toHaveTextContent('message: at most 500 characters');

    server.use(http.post('/api/v1/assistant/query', () => HttpResponse.json(problem(404, 'not-found', 'no'), { status: 404 })));
    await userEvent.click(screen.getByRole('button', { name: 'Ask' }));
    await waitFor(() => expect(screen.queryByRole('heading', { name: 'Ask the assistant' })).not.toBeInTheDocument());
  });
});
