import { Link } from 'react-router';

import { Button } from '@/components/ui/button';
import { EmptyState, ErrorMessage } from '@/components/ui/feedback';
import { formatMoney } from '@/lib/format';
import type { Order } from '@/lib/generated/api.schemas';

import { useCheckout } from '../api/checkout';
import { clearCart, setQuantity, useCart } from '../hooks/use-cart';

interface CartViewProps {
  signedIn: boolean;
  onPlaced: (order: Order) => void;
}

/** CartView lists the cart's lines with editable quantities and the checkout button. */
export function CartView({ signedIn, onPlaced }: CartViewProps) {
  const cart = useCart();
  const checkout = useCheckout();

  if (!cart.lines.length) {
    return (
      <EmptyState title="Your cart is empty.">
        <Link to="/" className="font-medium text-blue-800 underline">
          Browse the catalogue
        </Link>
      </EmptyState>
    );
  }

  const currency = cart.lines[0].currency;
  const total = cart.lines.reduce((s, l) => s + l.price_cents * l.quantity, 0);

  function placeOrder() {
    if (checkout.isPending) return;
    checkout.mutate(cart, {
      onSuccess: (order) => {
        clearCart();
        onPlaced(order);
      },
    });
  }

  return (
    <div className="space-y-4">
      <ul className="divide-y divide-slate-200 rounded-lg border border-slate-200 bg-white">
        {cart.lines.map((l) => (
          <li key={l.product_id} className="flex flex-wrap items-center gap-3 p-4">
            <Link to={`/products/${l.product_id}`} className="min-w-40 flex-1 font-medium hover:underline">
              {l.name}
            </Link>
            <label className="flex items-center gap-2 text-sm">
              Quantity
              <input
                type="number"
                min={0}
                max={999}
                value={l.quantity}
                onChange={(e) => setQuantity(l.product_id, Math.max(0, Math.floor(Number(e.target.value) || 0)))}
                className="w-20 rounded-md border border-slate-400 px-2 py-1"
              />
            </label>
            <span className="w-24 text-right font-medium">{formatMoney(l.price_cents * l.quantity, l.currency)}</span>
            <Button variant="ghost" onClick={() => setQuantity(l.product_id, 0)} aria-label={`Remove ${l.name}`}>
              Remove
            </Button>
          </li>
        ))}
      </ul>
      <div className="flex flex-wrap items-center justify-between gap-3">
        <p className="text-lg">
          Total <span className="font-semibold">{formatMoney(total, currency)}</span>
        </p>
        <div className="flex gap-2">
          <Button variant="secondary" onClick={() => clearCart()} disabled={checkout.isPending}>
            Empty cart
          </Button>
          {signedIn ? (
            <Button onClick={placeOrder} pending={checkout.isPending}>
              Place order
            </Button>
          ) : (
            <Link to="/sign-in?next=/cart" className="rounded-md bg-blue-700 px-4 py-2 text-sm font-medium text-white">
              Sign in to check out
            </Link>
          )}
        </div>
      </div>
      {checkout.error && <ErrorMessage error={checkout.error} />}
      <p className="text-xs text-slate-600">Prices are confirmed when the order is placed.</p>
    </div>
  );
}
