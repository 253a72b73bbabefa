import { useQuery } from '@tanstack/react-query';

import { Button } from '@/components/ui/button';
import { ErrorMessage, Loading, StatusBadge } from '@/components/ui/feedback';
import { formatDateTime, formatMoney, shortId } from '@/lib/format';

import { orderQuery, useCancelOrder } from '../api/orders';

/** OrderDetails shows one order from the write model, with cancel while it is still placed. */
export function OrderDetails({ orderId }: { orderId: string }) {
  const order = useQuery(orderQuery(orderId));
  const cancel = useCancelOrder();
  if (order.isPending) return <Loading label="Loading the order" rows={2} />;
  if (order.isError) return <ErrorMessage error={order.error} onRetry={() => void order.refetch()} />;
  const o = order.data;
  return (
    <article className="space-y-4" aria-labelledby="order-heading">
      <div className="flex flex-wrap items-center gap-3">
        <h1 id="order-heading" className="text-2xl font-semibold">
          Order {shortId(o.id)}
        </h1>
        <StatusBadge status={o.status} />
      </div>
      <p className="text-sm text-slate-700">
        Placed {formatDateTime(o.created_at)} · last change {formatDateTime(o.updated_at)}
      </p>
      <table className="w-full border-collapse rounded-lg bg-white text-sm">
        <caption className="sr-only">Order lines</caption>
        <thead>
          <tr className="border-b border-slate-200 text-left">
            <th scope="col" className="p-2">Product</th>
            <th scope="col" className="p-2 text-right">Quantity</th>
            <th scope="col" className="p-2 text-right">Price</th>
            <th scope="col" className="p-2 text-right">Total</th>
          </tr>
        </thead>
        <tbody>
          {o.items.map((i) => (
            <tr key={i.product_id} className="border-b border-slate-100">
              <td className="p-2">{i.name}</td>
              <td className="p-2 text-right">{i.quantity}</td>
              <td className="p-2 text-right">{formatMoney(i.unit_price_cents, o.currency)}</td>
              <td className="p-2 text-right">{formatMoney(i.line_total_cents, o.currency)}</td>
            </tr>
          ))}
        </tbody>
        <tfoot>
          <tr>
            <th scope="row" colSpan={3} className="p-2 text-right">Order total</th>
            <td className="p-2 text-right font-semibold">{formatMoney(o.total_cents, o.currency)}</td>
          </tr>
        </tfoot>
      </table>
      {o.status === 'placed' && (
        <Button variant="danger" pending={cancel.isPending} onClick={() => cancel.mutate(o.id)}>
          Cancel order
        </Button>
      )}
      {cancel.error && <ErrorMessage error={cancel.error} />}
    </article>
  );
}
