import { useQuery } from '@tanstack/react-query';
import type { ReactNode } from 'react';
import { Link } from 'react-router';

import { formatMoney } from '@/lib/format';

import { recommendationsQuery, type Recommendation } from '../api/recommendations';

/** Recommendations shows products picked for the user; nothing when there are none or no endpoint. */
export function Recommendations({ userId, action }: { userId: string; action?: (p: Recommendation) => ReactNode }) {
  const recs = useQuery(recommendationsQuery(userId));
  if (!recs.data?.length) return null;
  return (
    <section aria-labelledby="recs-heading" className="rounded-lg border border-blue-200 bg-blue-50 p-4">
      <h2 id="recs-heading" className="font-semibold">
        Picked for you
      </h2>
      <ul className="mt-3 grid grid-cols-1 gap-3 sm:grid-cols-2 lg:grid-cols-4">
        {recs.data.slice(0, 4).map((p) => (
          <li key={p.id} className="rounded-md bg-white p-3 text-sm">
            <Link to={`/products/${p.id}`} className="font-medium hover:underline">
              {p.name}
            </Link>
            <p className="text-slate-700">{formatMoney(p.price_cents, p.currency)}</p>
            {p.reason && <p className="mt-1 text-xs text-slate-600">{p.reason}</p>}
            {action?.(p)}
          </li>
        ))}
      </ul>
    </section>
  );
}
