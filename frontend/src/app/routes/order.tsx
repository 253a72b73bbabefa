import { Link, useParams, useSearchParams } from 'react-router';

import { OrderDetails } from '@/features/orders/components/order-details';

/** OrderRoute shows one order; right after checkout it thanks the customer. */
export function OrderRoute() {
  const { id = '' } = useParams();
  const [params] = useSearchParams();
  return (
    <div className="space-y-4">
      <Link to="/orders" className="text-sm text-blue-800 hover:underline">
        ← All orders
      </Link>
      {params.get('placed') === '1' && (
        <p role="status" className="rounded-md bg-green-50 px-3 py-2 text-green-900">
          Thank you: your order is placed and its stock reserved.
        </p>
      )}
      <OrderDetails orderId={id} />
    </div>
  );
}
