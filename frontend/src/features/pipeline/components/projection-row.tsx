import { Button } from '@/components/ui/button';
import { ErrorMessage } from '@/components/ui/feedback';
import type { ProjectionStatus, RebuildStatus } from '@/lib/generated/api.schemas';

import { useRebuild, type ReadModel } from '../api/pipeline';
import { TemporalLink } from './temporal-link';

/** rebuildPercent is how far a rebuild has got, 0 to 100. */
export function rebuildPercent(r: RebuildStatus): number {
  if (r.status === 'Completed' || r.progress?.State === 'done') return 100;
  const p = r.progress;
  if (!p || p.Target <= 0) return 0;
  return Math.min(100, Math.floor((p.Checkpoint / p.Target) * 100));
}

/** ProjectionRow shows one read model: checkpoint, lag, parked events, rebuild and its progress. */
export function ProjectionRow({ projection, canRebuild }: { projection: ProjectionStatus; canRebuild: boolean }) {
  const rebuild = useRebuild();
  const r = projection.rebuild;
  const running = r?.status === 'Running';
  const pct = r ? rebuildPercent(r) : 0;
  return (
    <li className="space-y-3 rounded-lg border border-slate-200 bg-white p-4" aria-label={`Read model ${projection.name}`}>
      <div className="flex flex-wrap items-center justify-between gap-3">
        <h3 className="font-semibold">{projection.name}</h3>
        {canRebuild && (
          <Button variant="secondary" pending={rebuild.isPending} disabled={running} onClick={() => rebuild.mutate(projection.name as ReadModel)}>
            Rebuild {projection.name}
          </Button>
        )}
      </div>
      <dl className="grid grid-cols-2 gap-2 text-sm sm:grid-cols-4">
        <div>
          <dt className="text-slate-600">Checkpoint</dt>
          <dd className="font-medium">{projection.checkpoint}</dd>
        </div>
        <div>
          <dt className="text-slate-600">Lag</dt>
          <dd className="font-medium">
            {projection.lag_events} events · {projection.lag_seconds.toFixed(1)} s
          </dd>
        </div>
        <div>
          <dt className="text-slate-600">Parked</dt>
          <dd className={`font-medium ${projection.parked ? 'text-red-700' : ''}`}>{projection.parked}</dd>
        </div>
        <div>
          <dt className="text-slate-600">Workflow</dt>
          <dd>
            <TemporalLink workflowId={`projection-${projection.name}`} />
          </dd>
        </div>
      </dl>
      {r && (
        <div className="space-y-1 text-sm">
          <div className="flex flex-wrap justify-between gap-2">
            <span>
              Latest rebuild: {r.status}
              {r.progress && ` (${r.progress.State}, ${r.progress.Checkpoint} of ${r.progress.Target})`}
            </span>
            {r.workflow_id && <TemporalLink workflowId={r.workflow_id} />}
          </div>
          <div
            role="progressbar"
            aria-label={`Rebuild of ${projection.name}`}
            aria-valuemin={0}
            aria-valuemax={100}
            aria-valuenow={pct}
            aria-valuetext={`${pct} %`}
            className="h-3 overflow-hidden rounded-full bg-slate-200"
          >
            <div className={`h-full ${pct === 100 ? 'bg-green-600' : 'bg-blue-700'} transition-all`} style={{ width: `${pct}%` }} />
          </div>
          <p className="text-right text-xs text-slate-700" data-testid={`rebuild-percent-${projection.name}`}>
            {pct} %
          </p>
        </div>
      )}
      {rebuild.error && <ErrorMessage error={rebuild.error} />}
    </li>
  );
}
