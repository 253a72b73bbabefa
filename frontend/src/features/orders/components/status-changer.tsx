import { useState } from 'react';

import { Button } from '@/components/ui/button';
import { shortId } from '@/lib/format';
import type { OrderStatus } from '@/lib/generated/api.schemas';

import { useSetOrderStatus } from '../api/orders';

/** nextStatuses are the moves the API allows from each status. */
export const nextStatuses: Record<OrderStatus, OrderStatus[]> = {
  placed: ['paid', 'cancelled'],
  paid: ['shipped', 'cancelled'],
  shipped: ['delivered'],
  delivered: [],
  cancelled: [],
};

/** StatusChanger lets staff move an order to its next status; the API's 409 is shown inline. */
export function StatusChanger({ orderId, status }: { orderId: string; status: OrderStatus }) {
  const options = nextStatuses[status];
  const [next, setNext] = useState<OrderStatus | ''>('');
  const [done, setDone] = useState<OrderStatus | null>(null);
  const change = useSetOrderStatus();
  if (done) return <span className="text-sm text-green-800">Now {done}</span>;
  if (!options.length) return null;
  return (
    <div className="flex flex-wrap items-center gap-2">
      <label className="sr-only" htmlFor={`status-${orderId}`}>
        New status for order {shortId(orderId)}
      </label>
      <select id={`status-${orderId}`} value={next} onChange={(e) => setNext(e.target.value as OrderStatus)} className="rounded-md border border-slate-400 px-2 py-1 text-sm">
        <option value="">Change status…</option>
        {options.map((s) => (
          <option key={s} value={s}>
            {s}
          </option>
        ))}
      </select>
      <Button
        variant="secondary"
        disabled={!next}
        pending={change.isPending}
        onClick={() => next && change.mutate({ id: orderId, status: next }, { onSuccess: (o) => setDone(o.status) })}
      >
        Apply<span className="sr-only"> to order {shortId(orderId)}</span>
      </Button>
      {change.error && <span className="text-xs text-red-700">{change.error.detail}</span>}
    </div>
  );
}
