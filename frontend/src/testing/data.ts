/** Builders of API bodies for tests, shaped like the OpenAPI document's schemas. */
import type { Order, OrderHistoryEntry, OrderHistoryPage, Product, User } from '@/lib/generated/api.schemas';

export function product(over: Partial<Product> = {}): Product {
  return {
    id: '00000000-0000-4000-8000-000000000001',
    sku: 'KET-1',
    name: 'Steel Kettle',
    description: 'Boils water.',
    category: 'Kitchen',
    price_cents: 2599,
    currency: 'USD',
    stock: 5,
    created_at: '2026-01-01T00:00:00Z',
    updated_at: '2026-01-01T00:00:00Z',
    ...over,
  } as Product;
}

export function user(over: Partial<User> = {}): User {
  return { id: '00000000-0000-4000-8000-0000000000aa', email: 'ada@example.com', name: 'Ada', role: 'customer', created_at: '2026-01-01T00:00:00Z', ...over };
}

export function order(over: Partial<Order> = {}): Order {
  return {
    id: '00000000-0000-4000-8000-0000000000f1',
    user_id: user().id,
    status: 'placed',
    total_cents: 2599,
    currency: 'USD',
    items: [{ product_id: product().id, sku: 'KET-1', name: 'Steel Kettle', quantity: 1, unit_price_cents: 2599, line_total_cents: 2599 }],
    created_at: '2026-01-02T00:00:00Z',
    updated_at: '2026-01-02T00:00:00Z',
    ...over,
  };
}

export function historyEntry(over: Partial<OrderHistoryEntry> = {}): OrderHistoryEntry {
  const o = order();
  return {
    id: o.id,
    user_id: o.user_id,
    status: o.status,
    total_cents: o.total_cents,
    currency: o.currency,
    item_count: 1,
    items_summary: '1 × Steel Kettle',
    items: [{ product_id: product().id, sku: 'KET-1', name: 'Steel Kettle', quantity: 1, unit_price_cents: 2599 }],
    created_at: o.created_at,
    updated_at: o.updated_at,
    ...over,
  };
}

export function historyPage(items: OrderHistoryEntry[], projected: number, latest: number): OrderHistoryPage {
  return { items, next_cursor: null, consistency: { projected_through: projected, latest } };
}

/** problem builds an RFC 9457 response body. */
export function problem(status: number, code: string, detail: string, errors?: { field: string; message: string }[]) {
  return { type: `urn:problem-type:orders:${code}`, title: 'Error', status, detail, instance: '/api/v1/x', request_id: 'req-1', ...(errors ? { errors } : {}) };
}
