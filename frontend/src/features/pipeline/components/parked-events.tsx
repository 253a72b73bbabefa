import { useQuery } from '@tanstack/react-query';

import { Button } from '@/components/ui/button';
import { EmptyState, ErrorMessage, Loading } from '@/components/ui/feedback';
import { formatDateTime } from '@/lib/format';

import { parkedQuery, useRedrive, type ReadModel } from '../api/pipeline';

/** ParkedEvents lists events a read model could not apply, with a re-drive button for admins. */
export function ParkedEvents({ canRedrive }: { canRedrive: boolean }) {
  const parked = useQuery(parkedQuery());
  const redrive = useRedrive();
  if (parked.isPending) return <Loading label="Loading parked events" rows={1} />;
  if (parked.isError) return <ErrorMessage error={parked.error} onRetry={() => void parked.refetch()} />;
  if (!parked.data.items.length) return <EmptyState title="No parked events: every event was applied." />;
  return (
    <div className="space-y-2">
      {redrive.error && <ErrorMessage error={redrive.error} />}
      <ul className="divide-y divide-slate-200 rounded-lg border border-slate-200 bg-white text-sm">
        {parked.data.items.map((e) => (
          <li key={`${e.projection}-${e.position}`} className="flex flex-wrap items-center gap-3 p-3">
            <div className="min-w-48 flex-1">
              <p className="font-medium">
                {e.projection} · position {e.position} · {e.event_type}
              </p>
              <p className="text-red-800">{e.error}</p>
              <p className="text-xs text-slate-600">
                {e.attempts} attempts · parked {formatDateTime(e.parked_at)}
              </p>
            </div>
            {canRedrive && (
              <Button
                variant="secondary"
                pending={redrive.isPending && redrive.variables?.position === e.position}
                onClick={() => redrive.mutate({ name: e.projection as ReadModel, position: e.position })}
              >
                Re-drive
              </Button>
            )}
          </li>
        ))}
      </ul>
    </div>
  );
}
