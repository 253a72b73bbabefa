import { useQuery } from '@tanstack/react-query';

import { ErrorMessage, Loading } from '@/components/ui/feedback';
import { pipelineStatusQuery } from '@/features/pipeline/api/pipeline';
import { LagChart } from '@/features/pipeline/components/lag-chart';
import { ParkedEvents } from '@/features/pipeline/components/parked-events';
import { ProjectionRow } from '@/features/pipeline/components/projection-row';
import { TemporalLink } from '@/features/pipeline/components/temporal-link';
import { useLagHistory } from '@/features/pipeline/hooks/use-lag-history';
import { hasRole, useSession } from '@/lib/session';

/** PipelineRoute is the event pipeline's live status: backlog, read models, parked events, rebuilds. */
export function PipelineRoute() {
  const session = useSession();
  const status = useQuery(pipelineStatusQuery());
  const history = useLagHistory(status.data, status.dataUpdatedAt);
  const isAdmin = hasRole(session.user, 'admin');

  return (
    <div className="space-y-6">
      <h1 className="text-2xl font-semibold">Event pipeline</h1>
      {status.isPending && <Loading label="Loading the pipeline status" />}
      {status.isError && <ErrorMessage error={status.error} onRetry={() => void status.refetch()} />}
      {status.data && (
        <>
          <section aria-labelledby="outbox-heading" className="rounded-lg border border-slate-200 bg-white p-4">
            <h2 id="outbox-heading" className="font-semibold">
              Outbox
            </h2>
            <dl className="mt-2 grid grid-cols-1 gap-2 text-sm sm:grid-cols-4">
              <div>
                <dt className="text-slate-600">Waiting to be published</dt>
                <dd className="text-lg font-medium">{status.data.outbox.pending}</dd>
              </div>
              <div>
                <dt className="text-slate-600">Oldest waiting</dt>
                <dd className="text-lg font-medium">{status.data.outbox.oldest_pending_seconds.toFixed(1)} s</dd>
              </div>
              <div>
                <dt className="text-slate-600">Last published position</dt>
                <dd className="text-lg font-medium">{status.data.outbox.last_position}</dd>
              </div>
              <div>
                <dt className="text-slate-600">Publisher workflow</dt>
                <dd>
                  <TemporalLink workflowId="outbox-publisher" />
                </dd>
              </div>
            </dl>
          </section>
          <section aria-labelledby="models-heading" className="space-y-3">
            <h2 id="models-heading" className="font-semibold">
              Read models
            </h2>
            <div className="grid gap-3 md:grid-cols-2">
              {status.data.projections.map((p) => (
                <LagChart key={p.name} name={p.name} samples={history[p.name] ?? []} />
              ))}
            </div>
            <ul className="space-y-3">
              {status.data.projections.map((p) => (
                <ProjectionRow key={p.name} projection={p} canRebuild={isAdmin} />
              ))}
            </ul>
          </section>
        </>
      )}
      <section aria-labelledby="parked-heading" className="space-y-3">
        <h2 id="parked-heading" className="font-semibold">
          Parked events
        </h2>
        <ParkedEvents canRedrive={isAdmin} />
      </section>
    </div>
  );
}
