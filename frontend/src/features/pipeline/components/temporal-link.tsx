/** The Temporal Web UI, set at build time with VITE_TEMPORAL_UI_URL (default: the dev server's). */
const TEMPORAL_UI = (import.meta.env.VITE_TEMPORAL_UI_URL as string | undefined) ?? 'http://127.0.0.1:8233';
const NAMESPACE = (import.meta.env.VITE_TEMPORAL_NAMESPACE as string | undefined) ?? 'default';

/** temporalWorkflowUrl is the Web UI page of a workflow. */
export function temporalWorkflowUrl(workflowId: string): string {
  return `${TEMPORAL_UI}/namespaces/${encodeURIComponent(NAMESPACE)}/workflows/${encodeURIComponent(workflowId)}`;
}

/** TemporalLink opens a workflow in the Temporal Web UI in a new tab. */
export function TemporalLink({ workflowId }: { workflowId: string }) {
  return (
    <a href={temporalWorkflowUrl(workflowId)} target="_blank" rel="noreferrer" className="text-sm text-blue-800 underline">
      {workflowId}
      <span className="sr-only"> (opens the Temporal Web UI in a new tab)</span>
    </a>
  );
}
