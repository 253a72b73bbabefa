import { OrderHistory } from '@/features/orders/components/order-history';

/** OrdersRoute is the customer's order history. */
export function OrdersRoute() {
  return (
    <div className="space-y-4">
      <h1 className="text-2xl font-semibold">Your orders</h1>
      <OrderHistory />
    </div>
  );
}
