import type { ReactNode } from 'react';

import { ApiError } from '@/lib/api-error';

/** ErrorMessage shows what went wrong in words, with the request ID to quote. */
export function ErrorMessage({ error, onRetry }: { error: unknown; onRetry?: () => void }) {
  const e = error instanceof ApiError ? error : null;
  const text = e?.detail || e?.title || (error instanceof Error ? error.message : 'Something went wrong.');
  return (
    <div role="alert" className="rounded-md border border-red-300 bg-red-50 p-3 text-sm text-red-900">
      <p>{text}</p>
      {e?.requestId && <p className="mt-1 text-xs text-red-800">Request ID: {e.requestId}</p>}
      {onRetry && (
        <button type="button" onClick={onRetry} className="mt-2 font-medium underline">
          Try again
        </button>
      )}
    </div>
  );
}

/** EmptyState says there is nothing to show, and what to do about it. */
export function EmptyState({ title, children }: { title: string; children?: ReactNode }) {
  return (
    <div className="rounded-lg border border-dashed border-slate-300 bg-white p-8 text-center">
      <p className="font-medium text-slate-800">{title}</p>
      {children && <div className="mt-2 text-sm text-slate-700">{children}</div>}
    </div>
  );
}

/** Skeleton is a grey placeholder block while data loads. */
export function Skeleton({ className = '' }: { className?: string }) {
  return <div aria-hidden="true" className={`animate-pulse rounded-md bg-slate-200 ${className}`} />;
}

/** Loading is a labelled set of skeleton rows for lists and pages. */
export function Loading({ label, rows = 3 }: { label: string; rows?: number }) {
  return (
    <div role="status" aria-label={label} className="space-y-3">
      {Array.from({ length: rows }, (_, i) => (
        <Skeleton key={i} className="h-16 w-full" />
      ))}
    </div>
  );
}

/** StatusBadge shows an order status with a colour and its name. */
export function StatusBadge({ status }: { status: string }) {
  const colours: Record<string, string> = {
    placed: 'bg-blue-100 text-blue-900',
    paid: 'bg-amber-100 text-amber-900',
    shipped: 'bg-violet-100 text-violet-900',
    delivered: 'bg-green-100 text-green-900',
    cancelled: 'bg-slate-200 text-slate-800',
  };
  return <span className={`rounded-full px-2 py-0.5 text-xs font-medium ${colours[status] ?? 'bg-slate-100'}`}>{status}</span>;
}
