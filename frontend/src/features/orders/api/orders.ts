/**
 * Order queries and mutations. An order is read from the write model (visible at once after
 * checkout); history reads the read model, which may lag, so it refreshes itself while its
 * `consistency` block says it is behind, or while an order just placed has not reached it yet.
 */
import { infiniteQueryOptions, queryOptions, useMutation, useQueryClient, type InfiniteData } from '@tanstack/react-query';

import type { ApiError } from '@/lib/api-error';
import { cancelOrder, getOrder, listOrders, setOrderStatus } from '@/lib/generated/api';
import type { ListOrdersParams, Order, OrderHistoryPage, OrderStatus } from '@/lib/generated/api.schemas';

/** orderKeys builds every order query key. */
export const orderKeys = {
  all: ['orders'] as const,
  histories: () => [...orderKeys.all, 'history'] as const,
  history: (p: Omit<ListOrdersParams, 'cursor'>) => [...orderKeys.histories(), p] as const,
  detail: (id: string) => [...orderKeys.all, 'detail', id] as const,
};

/** How long history keeps polling for an order placed in this tab before giving up. */
const AWAIT_MS = 60_000;
const awaited = new Map<string, number>();

/** awaitInHistory makes history refresh until this just-placed order shows up in it. */
export function awaitInHistory(orderId: string) {
  awaited.set(orderId, Date.now() + AWAIT_MS);
}

/** pendingInHistory lists the awaited orders the loaded history pages do not show yet. */
export function pendingInHistory(data: InfiniteData<OrderHistoryPage> | undefined): string[] {
  const now = Date.now();
  const seen = new Set(data?.pages.flatMap((p) => p.items.map((o) => o.id)) ?? []);
  const out: string[] = [];
  for (const [id, until] of awaited) {
    if (seen.has(id) || until < now) awaited.delete(id);
    else out.push(id);
  }
  return out;
}

/** isBehind says whether the read model has not applied every published event yet. */
export function isBehind(page: OrderHistoryPage | undefined): boolean {
  return !!page && page.consistency.projected_through < page.consistency.latest;
}

/** historyQuery pages through order history, refreshing every second while it catches up. */
export function historyQuery(p: Omit<ListOrdersParams, 'cursor'>, pollMs = 1000) {
  return infiniteQueryOptions({
    queryKey: orderKeys.history(p),
    queryFn: ({ pageParam, signal }) => listOrders({ ...p, cursor: pageParam || undefined }, undefined, signal),
    initialPageParam: '',
    getNextPageParam: (last) => last.next_cursor ?? undefined,
    refetchInterval: (q) => (isBehind(q.state.data?.pages[0]) || pendingInHistory(q.state.data).length ? pollMs : false),
  });
}

/** orderQuery loads one order from the write model. */
export function orderQuery(id: string) {
  return queryOptions({ queryKey: orderKeys.detail(id), queryFn: ({ signal }) => getOrder(id, undefined, signal) });
}

function useOrderUpdate<V>(fn: (v: V) => Promise<Order>) {
  const qc = useQueryClient();
  return useMutation<Order, ApiError, V>({
    mutationFn: fn,
    onSuccess: (order) => {
      qc.setQueryData(orderKeys.detail(order.id), order);
      void qc.invalidateQueries({ queryKey: orderKeys.histories() });
    },
  });
}

/** useCancelOrder cancels a placed order; 409 when it has moved on. */
export function useCancelOrder() {
  return useOrderUpdate((id: string) => cancelOrder(id));
}

/** useSetOrderStatus moves an order along its lifecycle (staff); 409 on a bad move. */
export function useSetOrderStatus() {
  return useOrderUpdate(({ id, status }: { id: string; status: OrderStatus }) => setOrderStatus(id, { status }));
}
