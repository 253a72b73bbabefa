/** Keeps the last samples of each read model's lag, for the live chart. */
import { useEffect, useState } from 'react';

import type { PipelineStatus } from '@/lib/generated/api.schemas';

/** LagSample is one reading of a read model's checkpoint and lag. */
export interface LagSample {
  at: number;
  checkpoint: number;
  lag: number;
}

/** MAX_SAMPLES bounds the chart's history. */
export const MAX_SAMPLES = 60;

/** useLagHistory appends a sample per read model each time the status is fetched. */
export function useLagHistory(status: PipelineStatus | undefined, fetchedAt: number): Record<string, LagSample[]> {
  const [history, setHistory] = useState<Record<string, LagSample[]>>({});
  useEffect(() => {
    if (!status) return;
    setHistory((prev) => {
      const next: Record<string, LagSample[]> = {};
      for (const p of status.projections) {
        const samples = [...(prev[p.name] ?? []), { at: fetchedAt, checkpoint: p.checkpoint, lag: p.lag_events }];
        next[p.name] = samples.slice(-MAX_SAMPLES);
      }
      return next;
    });
  }, [status, fetchedAt]);
  return history;
}
