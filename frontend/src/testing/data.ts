/** Builders of API bodies for tests, shaped like the OpenAPI document's schemas. */
import type {
  AssistantAnswer,
  GetRecommendations200,
  Order,
  OrderHistoryEntry,
  OrderHistoryPage,
  Product,
  SearchProducts200ItemsItem,
  User,
} from '@/lib/generated/api.schemas';

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

/** productN is the nth of a set of distinct products (IDs, SKUs and names differ by n). */
export function productN(n: number, over: Partial<Product> = {}): Product {
  return product({ id: `00000000-0000-4000-8000-${String(n).padStart(12, '0')}`, sku: `KET-${n}`, name: `Kettle ${n}`, ...over });
}

/** hit is a search result: a product with its score and reason. */
export function hit(p: Product, reason = 'matches your words', score = 0.9): SearchProducts200ItemsItem {
  return { ...p, score, reason };
}

/** recommendations builds the body of GET /recommendations. */
export function recommendations(over: Partial<GetRecommendations200> = {}): GetRecommendations200 {
  return {
    items: [{ ...productN(7, { name: 'Tea Strainer' }), reason: 'often bought with Steel Kettle' }],
    source: 'local',
    generated_at: '2026-01-03T10:00:00Z',
    provider: 'local',
    refreshing: false,
    ...over,
  };
}

/** assistantAnswer builds the body of POST /assistant/query, as the rule-based parser answers. */
export function assistantAnswer(over: Partial<AssistantAnswer> = {}): AssistantAnswer {
  return {
    filters: { q: 'kettle', category: 'Kitchen', min_price_cents: null, max_price_cents: 4000, in_stock: true },
    items: [hit(product(), 'matches your words')],
    provider: 'local',
    interpreter: 'rules',
    ...over,
  };
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
