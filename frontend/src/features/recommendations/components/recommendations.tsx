import { useQuery } from '@tanstack/react-query';
import type { ReactNode } from 'react';
import { Link } from 'react-router';

import { ErrorMessage, Skeleton } from '@/components/ui/feedback';
import { formatDateTime, formatMoney } from '@/lib/format';
import type { Product } from '@/lib/generated/api.schemas';

import { RECOMMENDATIONS_SHOWN, recommendationsQuery, type RecommendationList } from '../api/recommendations';

/** sourceNote says where the list comes from, from its `source`. */
function sourceNote(list: RecommendationList): string {
  return list.source === 'llm'
    ? `Picked by a language model (${list.provider}) from your orders, ${formatDateTime(list.generated_at)}.`
    : 'Picked from your orders and what other shoppers buy, without a language model.';
}

function Picks({ list, action }: { list: RecommendationList; action?: (p: Product) => ReactNode }) {
  if (!list.items.length) return <p className="mt-2 text-sm text-slate-700">Nothing to suggest yet.</p>;
  return (
    <>
      <p className="mt-1 text-xs text-slate-700">{sourceNote(list)}</p>
      <ul className="mt-3 grid grid-cols-1 gap-3 sm:grid-cols-2 lg:grid-cols-4">
        {list.items.map((p) => (
          <li key={p.id} className="flex flex-col rounded-md bg-white p-3 text-sm">
            <Link to={`/products/${p.id}`} className="font-medium hover:underline">
              {p.name}
            </Link>
            <p className="text-slate-700">{formatMoney(p.price_cents, p.currency)}</p>
            <p className="mt-1 text-xs text-slate-600">{p.reason}</p>
            <div className="mt-auto">{action?.(p)}</div>
          </li>
        ))}
      </ul>
    </>
  );
}

/**
 * Recommendations shows products picked for the user, why each, and whether a language model or
 * the shop's own scoring picked them. Nothing at all when the API has no such endpoint.
 */
export function Recommendations({ userId, action }: { userId: string; action?: (p: Product) => ReactNode }) {
  const recs = useQuery(recommendationsQuery(userId));
  if (recs.data === null) return null;
  return (
    <section aria-labelledby="recs-heading" className="rounded-lg border border-blue-200 bg-blue-50 p-4">
      <h2 id="recs-heading" className="font-semibold">
        Picked for you
      </h2>
      {recs.isPending && (
        <div role="status" aria-label="Loading recommendations" className="mt-3 grid grid-cols-1 gap-3 sm:grid-cols-2 lg:grid-cols-4">
          {Array.from({ length: RECOMMENDATIONS_SHOWN }, (_, i) => (
            <Skeleton key={i} className="h-28" />
          ))}
        </div>
      )}
      {recs.isError && (
        <div className="mt-3">
          <ErrorMessage error={recs.error} onRetry={() => void recs.refetch()} />
        </div>
      )}
      {recs.data && <Picks list={recs.data} action={action} />}
    </section>
  );
}
