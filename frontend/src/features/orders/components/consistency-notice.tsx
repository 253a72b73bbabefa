import type { Consistency } from '@/lib/generated/api.schemas';

/**
 * ConsistencyNotice says honestly how far the history has caught up with the event log, and
 * whether an order just placed is still on its way into it.
 */
export function ConsistencyNotice({ consistency, waitingFor }: { consistency: Consistency | undefined; waitingFor: number }) {
  if (!consistency) return null;
  const behind = consistency.latest - consistency.projected_through;
  const upToDate = behind <= 0 && waitingFor === 0;
  return (
    <p role="status" className={`rounded-md px-3 py-2 text-sm ${upToDate ? 'bg-green-50 text-green-900' : 'bg-amber-50 text-amber-900'}`}>
      {upToDate
        ? `Up to date: reflects every change through event ${consistency.projected_through}.`
        : behind > 0
          ? `Catching up: ${behind} recent ${behind === 1 ? 'change is' : 'changes are'} not shown yet (through event ${consistency.projected_through} of ${consistency.latest}). Refreshing…`
          : `Your latest order is on its way into the history. Refreshing…`}
    </p>
  );
}
