/** Checkout: places the cart as one order, under the cart's Idempotency-Key. */
import { useMutation } from '@tanstack/react-query';

import type { ApiError } from '@/lib/api-error';
import { placeOrder } from '@/lib/generated/api';
import type { Order } from '@/lib/generated/api.schemas';

import type { Cart } from '../hooks/use-cart';

/** checkout sends the cart's lines; the same cart (same key) always yields the same order. */
export function checkout(cart: Cart): Promise<Order> {
  return placeOrder(
    { items: cart.lines.map((l) => ({ product_id: l.product_id, quantity: l.quantity })) },
    { headers: { 'Idempotency-Key': cart.checkoutKey } },
  );
}

/** useCheckout is the checkout mutation; a second call while one is pending joins it. */
export function useCheckout() {
  return useMutation<Order, ApiError, Cart>({
    mutationKey: ['checkout'],
    mutationFn: checkout,
  });
}
