import { useQueryClient } from '@tanstack/react-query';
import { useNavigate } from 'react-router';

import { CartView } from '@/features/cart/components/cart-view';
import { awaitInHistory, orderKeys } from '@/features/orders/api/orders';
import { useSession } from '@/lib/session';

/** CartRoute is the cart and checkout; a placed order opens its page at once. */
export function CartRoute() {
  const session = useSession();
  const qc = useQueryClient();
  const navigate = useNavigate();
  return (
    <div className="space-y-4">
      <h1 className="text-2xl font-semibold">Cart</h1>
      <CartView
        signedIn={session.status === 'signed-in'}
        onPlaced={(order) => {
          qc.setQueryData(orderKeys.detail(order.id), order);
          awaitInHistory(order.id);
          void qc.invalidateQueries({ queryKey: orderKeys.histories() });
          void navigate(`/orders/${order.id}?placed=1`);
        }}
      />
    </div>
  );
}
