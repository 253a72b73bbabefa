import { useInfiniteQuery } from '@tanstack/react-query';
import type { ReactNode } from 'react';
import { Link } from 'react-router';

import { Button } from '@/components/ui/button';
import { EmptyState, ErrorMessage, Loading, StatusBadge } from '@/components/ui/feedback';
import { formatDateTime, formatMoney, shortId } from '@/lib/format';
import type { ListOrdersParams, OrderHistoryEntry } from '@/lib/generated/api.schemas';

import { historyQuery, pendingInHistory } from '../api/orders';
import { ConsistencyNotice } from './consistency-notice';

interface OrderHistoryProps {
  params?: Omit<ListOrdersParams, 'cursor'>;
  /** extra controls per order, e.g. a status changer for staff. */
  actions?: (o: OrderHistoryEntry) => ReactNode;
  showCustomer?: boolean;
}

/** OrderHistory lists orders newest first, says how current the list is, and loads more on demand. */
export function OrderHistory({ params = {}, actions, showCustomer = false }: OrderHistoryProps) {
  const history = useInfiniteQuery(historyQuery(params));
  if (history.isPending) return <Loading label="Loading orders" />;
  if (history.isError) return <ErrorMessage error={history.error} onRetry={() => void history.refetch()} />;

  const orders = history.data.pages.flatMap((p) => p.items);
  const waiting = pendingInHistory(history.data).length;
  return (
    <div className="space-y-3">
      <ConsistencyNotice consistency={history.data.pages[0]?.consistency} waitingFor={waiting} />
      {orders.length === 0 ? (
        <EmptyState title={waiting ? 'Your order will appear here in a moment.' : 'No orders yet.'}>
          {!waiting && (
            <Link to="/" className="font-medium text-blue-800 underline">
              Start shopping
            </Link>
          )}
        </EmptyState>
      ) : (
        <ul className="divide-y divide-slate-200 rounded-lg border border-slate-200 bg-white" aria-label="Orders">
          {orders.map((o) => (
            <li key={o.id} className="flex flex-wrap items-center gap-x-4 gap-y-2 p-4" data-order-id={o.id}>
              <div className="min-w-48 flex-1">
                <Link to={`/orders/${o.id}`} className="font-medium text-blue-800 hover:underline">
                  Order {shortId(o.id)}
                </Link>
                <p className="text-sm text-slate-700">{o.items_summary}</p>
                <p className="text-xs text-slate-600">
                  {formatDateTime(o.created_at)}
                  {showCustomer && ` · customer ${shortId(o.user_id)}`}
                </p>
              </div>
              <StatusBadge status={o.status} />
              <span className="w-24 text-right font-medium">{formatMoney(o.total_cents, o.currency)}</span>
              {actions?.(o)}
            </li>
          ))}
        </ul>
      )}
      {history.hasNextPage && (
        <Button variant="secondary" onClick={() => void history.fetchNextPage()} pending={history.isFetchingNextPage}>
          Load more
        </Button>
      )}
    </div>
  );
}
