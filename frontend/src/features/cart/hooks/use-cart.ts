/**
 * The cart, kept in localStorage so it survives a reload and is shared by open tabs. It also
 * holds the checkout's Idempotency-Key: one key per cart content, renewed whenever the content
 * changes, so a double click or a retry of the same checkout never makes a second order.
 */
import { useSyncExternalStore } from 'react';

import { newId } from '@/lib/format';

/** CartLine is one product in the cart, with what was shown when it was added. */
export interface CartLine {
  product_id: string;
  name: string;
  price_cents: number;
  currency: string;
  quantity: number;
}

/** Cart is the stored cart. */
export interface Cart {
  lines: CartLine[];
  checkoutKey: string;
}

const STORAGE_KEY = 'orders.cart.v1';
const listeners = new Set<() => void>();
let cached: { raw: string | null; cart: Cart } | null = null;

function parse(raw: string | null): Cart {
  try {
    const v = raw ? (JSON.parse(raw) as Partial<Cart>) : null;
    if (v && Array.isArray(v.lines) && typeof v.checkoutKey === 'string') {
      return { lines: v.lines.filter((l) => l && typeof l.product_id === 'string' && l.quantity > 0), checkoutKey: v.checkoutKey };
    }
  } catch {
    // A corrupt cart is dropped below.
  }
  return { lines: [], checkoutKey: newId() };
}

/** readCart returns the stored cart, the same object until it changes. */
export function readCart(): Cart {
  const raw = localStorage.getItem(STORAGE_KEY);
  if (!cached || cached.raw !== raw) cached = { raw, cart: parse(raw) };
  return cached.cart;
}

function write(lines: CartLine[]) {
  localStorage.setItem(STORAGE_KEY, JSON.stringify({ lines, checkoutKey: newId() } satisfies Cart));
  for (const l of listeners) l();
}

function subscribe(l: () => void) {
  listeners.add(l);
  const onStorage = (e: StorageEvent) => e.key === STORAGE_KEY && l();
  window.addEventListener('storage', onStorage);
  return () => {
    listeners.delete(l);
    window.removeEventListener('storage', onStorage);
  };
}

/** addToCart adds quantity of a product, merging with a line already there. */
export function addToCart(p: Omit<CartLine, 'quantity'>, quantity = 1) {
  const lines = readCart().lines;
  const found = lines.find((l) => l.product_id === p.product_id);
  write(found ? lines.map((l) => (l === found ? { ...l, quantity: l.quantity + quantity } : l)) : [...lines, { ...p, quantity }]);
}

/** setQuantity changes a line's quantity; zero removes it. */
export function setQuantity(productId: string, quantity: number) {
  write(readCart().lines.flatMap((l) => (l.product_id !== productId ? [l] : quantity > 0 ? [{ ...l, quantity }] : [])));
}

/** clearCart empties the cart (after a checkout). */
export function clearCart() {
  write([]);
}

/** useCart returns the cart and re-renders when it changes, here or in another tab. */
export function useCart(): Cart {
  return useSyncExternalStore(subscribe, readCart, readCart);
}

/** cartCount is the number of items in the cart. */
export function cartCount(cart: Cart): number {
  return cart.lines.reduce((n, l) => n + l.quantity, 0);
}
