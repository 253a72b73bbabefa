import { useState, type FormEvent } from 'react';
import { Link } from 'react-router';

import { Button } from '@/components/ui/button';
import { ErrorMessage } from '@/components/ui/feedback';
import { formatMoney } from '@/lib/format';

import { useAskAssistant, type AssistantFilters } from '../api/assistant';

function describe(f: AssistantFilters): string[] {
  const out: string[] = [];
  if (f.q) out.push(`words: “${f.q}”`);
  if (f.category) out.push(`category: ${f.category}`);
  if (f.min_price_cents != null) out.push(`from ${(f.min_price_cents / 100).toFixed(2)}`);
  if (f.max_price_cents != null) out.push(`up to ${(f.max_price_cents / 100).toFixed(2)}`);
  if (f.in_stock) out.push('in stock');
  return out;
}

/** AssistantBox lets a signed-in customer ask in words; it hides itself if the API lacks it. */
export function AssistantBox() {
  const [message, setMessage] = useState('');
  const ask = useAskAssistant();
  if (ask.error?.status === 404) return null;

  function submit(e: FormEvent) {
    e.preventDefault();
    if (message.trim()) ask.mutate(message.trim());
  }

  return (
    <section aria-labelledby="assistant-heading" className="rounded-lg border border-slate-200 bg-white p-4">
      <h2 id="assistant-heading" className="font-semibold">
        Ask the assistant
      </h2>
      <form onSubmit={submit} className="mt-2 flex gap-2">
        <label htmlFor="assistant-message" className="sr-only">
          What are you looking for?
        </label>
        <input
          id="assistant-message"
          value={message}
          onChange={(e) => setMessage(e.target.value)}
          placeholder="e.g. a kettle under 40 dollars"
          className="flex-1 rounded-md border border-slate-400 px-3 py-2 text-sm"
        />
        <Button type="submit" pending={ask.isPending}>
          Ask
        </Button>
      </form>
      {ask.error && <div className="mt-2"><ErrorMessage error={ask.error} /></div>}
      {ask.data && (
        <div className="mt-3 text-sm" aria-live="polite">
          <p>
            Understood: {describe(ask.data.filters).join(' · ') || 'no filters'}
          </p>
          <ul className="mt-2 space-y-1">
            {ask.data.items.slice(0, 6).map((p) => (
              <li key={p.id}>
                <Link to={`/products/${p.id}`} className="text-blue-800 hover:underline">
                  {p.name}
                </Link>{' '}
                {formatMoney(p.price_cents, p.currency)}
              </li>
            ))}
          </ul>
        </div>
      )}
    </section>
  );
}
