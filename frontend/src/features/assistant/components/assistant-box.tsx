import { useState, type FormEvent } from 'react';
import { Link } from 'react-router';

import { Button } from '@/components/ui/button';
import { ErrorMessage } from '@/components/ui/feedback';
import { formatMoney } from '@/lib/format';
import type { AssistantAnswer, AssistantFilters } from '@/lib/generated/api.schemas';

import { useAskAssistant } from '../api/assistant';

// Why the configured language model's reading was not used, in words (the API's fallback codes).
const fallbackWords: Record<string, string> = {
  timeout: 'it took too long to answer',
  rate_limited: 'it was asked too often just now',
  server_error: 'its service failed',
  client_error: 'its service refused the request',
  transport_error: 'its service could not be reached',
  malformed: 'its reply could not be read',
  invalid: 'it twice replied with filters that were not valid',
  circuit_open: 'it is paused after repeated failures',
};

/** chips lists the filters a message was read as, in words; prices in the products' currency when known. */
function chips(f: AssistantFilters, currency: string | undefined): string[] {
  const money = (cents: number) => (currency ? formatMoney(cents, currency) : (cents / 100).toFixed(2));
  const out: string[] = [];
  if (f.q) out.push(`Words: “${f.q}”`);
  if (f.category) out.push(`Category: ${f.category}`);
  if (f.min_price_cents != null) out.push(`From ${money(f.min_price_cents)}`);
  if (f.max_price_cents != null) out.push(`Up to ${money(f.max_price_cents)}`);
  if (f.in_stock) out.push('In stock');
  return out;
}

function ReadBy({ answer }: { answer: AssistantAnswer }) {
  const reader = answer.interpreter === 'rules' ? 'rules, without a language model' : `${answer.interpreter} (${answer.provider})`;
  return (
    <p className="text-xs text-slate-600">
      Read by {reader}.
      {answer.fallback && ` The language model was not used: ${fallbackWords[answer.fallback] ?? answer.fallback}.`}
    </p>
  );
}

function Answer({ answer, onApply }: { answer: AssistantAnswer; onApply: (f: AssistantFilters) => void }) {
  const understood = chips(answer.filters, answer.items[0]?.currency);
  return (
    <div className="mt-3 space-y-3 text-sm">
      <div className="flex flex-wrap items-center gap-2">
        <span className="font-medium">Understood:</span>
        {understood.length ? (
          <ul aria-label="Filters understood" className="flex flex-wrap gap-2">
            {understood.map((c) => (
              <li key={c} className="rounded-full border border-blue-200 bg-blue-50 px-3 py-1 text-blue-900">
                {c}
              </li>
            ))}
          </ul>
        ) : (
          <span>nothing to filter by, so these are the cheapest products.</span>
        )}
        {understood.length > 0 && (
          <Button variant="ghost" className="min-h-0 px-2 py-1" onClick={() => onApply(answer.filters)}>
            Apply these filters to the catalogue
          </Button>
        )}
      </div>
      <ReadBy answer={answer} />
      {answer.items.length ? (
        <ul aria-label="Products found" className="space-y-2">
          {answer.items.slice(0, 6).map((p) => (
            <li key={p.id}>
              <Link to={`/products/${p.id}`} className="font-medium text-blue-800 hover:underline">
                {p.name}
              </Link>{' '}
              <span className="text-slate-700">{formatMoney(p.price_cents, p.currency)}</span>
              <span className="block text-xs text-slate-600">{p.reason}</span>
            </li>
          ))}
        </ul>
      ) : (
        <p>No products match these filters.</p>
      )}
    </div>
  );
}

/**
 * AssistantBox lets a signed-in customer ask in words, shows the filters it understood as chips
 * with a way to apply them to the catalogue, and who read the message. It hides itself when the
 * API has no assistant (404).
 */
export function AssistantBox({ onApply }: { onApply: (filters: AssistantFilters) => void }) {
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
          maxLength={500}
          onChange={(e) => setMessage(e.target.value)}
          placeholder="e.g. a kettle under 40 dollars, in stock"
          className="min-w-0 flex-1 rounded-md border border-slate-400 px-3 py-2 text-sm"
        />
        <Button type="submit" pending={ask.isPending}>
          Ask
        </Button>
      </form>
      <div aria-live="polite">
        {ask.error && (
          <div className="mt-2">
            <ErrorMessage error={ask.error} />
          </div>
        )}
        {ask.data && <Answer answer={ask.data} onApply={onApply} />}
      </div>
    </section>
  );
}
