/**
 * The event pipeline's administration: its status (polled), parked events, rebuilds and
 * re-drives. Mutations invalidate the `pipeline` prefix so the page shows their effect at once.
 */
import { queryOptions, useMutation, useQueryClient } from '@tanstack/react-query';

import type { ApiError } from '@/lib/api-error';
import { getPipelineStatus, listParkedEvents, rebuildProjection, redriveParkedEvent } from '@/lib/generated/api';
import type { PipelineStatus, RebuildStarted, RedriveResult } from '@/lib/generated/api.schemas';

/** ReadModel names a read model the API can rebuild. */
export type ReadModel = Parameters<typeof rebuildProjection>[0];

/** pipelineKeys builds the pipeline page's query keys. */
export const pipelineKeys = {
  all: ['pipeline'] as const,
  status: () => [...pipelineKeys.all, 'status'] as const,
  parked: () => [...pipelineKeys.all, 'parked'] as const,
};

/** rebuildRunning says whether any read model is being rebuilt right now. */
export function rebuildRunning(s: PipelineStatus | undefined): boolean {
  return !!s?.projections.some((p) => p.rebuild?.status === 'Running');
}

/** pipelineStatusQuery polls the status every two seconds, every half second during a rebuild. */
export const pipelineStatusQuery = (pollMs = 2000) =>
  queryOptions({
    queryKey: pipelineKeys.status(),
    queryFn: ({ signal }) => getPipelineStatus(undefined, signal),
    refetchInterval: (q) => (rebuildRunning(q.state.data) ? Math.min(pollMs, 500) : pollMs),
    staleTime: 0,
  });

/** parkedQuery lists unresolved parked events. */
export const parkedQuery = () =>
  queryOptions({ queryKey: pipelineKeys.parked(), queryFn: ({ signal }) => listParkedEvents({}, undefined, signal), refetchInterval: 5000 });

/** useRebuild starts a rebuild; 409 when one is already running. */
export function useRebuild() {
  const qc = useQueryClient();
  return useMutation<RebuildStarted, ApiError, ReadModel>({
    mutationFn: (name) => rebuildProjection(name),
    onSettled: () => qc.invalidateQueries({ queryKey: pipelineKeys.all }),
  });
}

/** useRedrive applies one parked event again. */
export function useRedrive() {
  const qc = useQueryClient();
  return useMutation<RedriveResult, ApiError, { name: ReadModel; position: number }>({
    mutationFn: ({ name, position }) => redriveParkedEvent(name, position),
    onSettled: () => qc.invalidateQueries({ queryKey: pipelineKeys.all }),
  });
}
