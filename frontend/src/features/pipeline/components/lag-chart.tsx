import type { LagSample } from '../hooks/use-lag-history';

const W = 600;
const H = 120;

/** LagChart draws a read model's lag (events behind) over the last samples, as an SVG line. */
export function LagChart({ name, samples }: { name: string; samples: LagSample[] }) {
  const max = Math.max(1, ...samples.map((s) => s.lag));
  const step = samples.length > 1 ? W / (samples.length - 1) : W;
  const points = samples.map((s, i) => `${(i * step).toFixed(1)},${(H - (s.lag / max) * (H - 8) - 4).toFixed(1)}`).join(' ');
  const last = samples.at(-1);
  return (
    <figure className="rounded-md border border-slate-200 bg-white p-3">
      <figcaption className="mb-2 flex justify-between text-sm">
        <span className="font-medium">{name}: lag</span>
        <span className="text-slate-700">{last ? `${last.lag} events behind · checkpoint ${last.checkpoint}` : 'waiting for data'}</span>
      </figcaption>
      <svg viewBox={`0 0 ${W} ${H}`} className="h-28 w-full" role="img" aria-label={`Lag of ${name} over the last ${samples.length} readings, at most ${max} events`}>
        <line x1="0" y1={H - 4} x2={W} y2={H - 4} stroke="#cbd5e1" strokeWidth="1" />
        {samples.length > 1 && <polyline points={points} fill="none" stroke="#1d4ed8" strokeWidth="2" />}
        <text x="4" y="12" fontSize="11" fill="#475569">
          {max}
        </text>
      </svg>
    </figure>
  );
}
