import { useState, type FormEvent } from 'react';

import { Button } from '@/components/ui/button';
import { Field, SelectField } from '@/components/ui/field';
import { OrderHistory } from '@/features/orders/components/order-history';
import { StatusChanger } from '@/features/orders/components/status-changer';
import { OrderStatus } from '@/lib/generated/api.schemas';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** AdminOrdersRoute lists every customer's orders, filtered by status and customer, with status changes. */
export function AdminOrdersRoute() {
  const [status, setStatus] = useState<OrderStatus | ''>('');
  const [customer, setCustomer] = useState('');
  const [userId, setUserId] = useState('');
  const [error, setError] = useState<string>();

  function apply(e: FormEvent) {
    e.preventDefault();
    const v = customer.trim();
    if (v && !UUID.test(v)) {
      setError('Enter a customer ID (a UUID), or leave it empty.');
      return;
    }
    setError(undefined);
    setUserId(v);
  }

  return (
    <div className="space-y-4">
      <h1 className="text-2xl font-semibold">Orders</h1>
      <form onSubmit={apply} className="flex flex-wrap items-end gap-2" aria-label="Filter orders">
        <SelectField label="Status" value={status} onChange={(e) => setStatus(e.target.value as OrderStatus | '')}>
          <option value="">Any status</option>
          {Object.values(OrderStatus).map((s) => (
            <option key={s} value={s}>
              {s}
            </option>
          ))}
        </SelectField>
        <Field label="Customer ID" value={customer} onChange={(e) => setCustomer(e.target.value)} error={error} className="min-w-64 flex-1" />
        <Button type="submit" variant="secondary">
          Filter
        </Button>
      </form>
      <OrderHistory
        params={{ status: status || undefined, user_id: userId || undefined }}
        showCustomer
        actions={(o) => <StatusChanger key={o.status} orderId={o.id} status={o.status} />}
      />
    </div>
  );
}
