/** Duration, rows and reject ratio of a pipeline's runs over time. */
import { useMemo } from 'react';
import type uPlot from 'uplot';
import type { RunSummary } from '../api/types.ts';
import { runSeries } from './run-series.ts';
import { UPlotChart } from './UPlotChart.tsx';

const DURATION: uPlot.Series[] = [{ label: 'Duration (s)', stroke: '#2563eb', points: { show: true } }];
const ROWS: uPlot.Series[] = [
  { label: 'Rows in', stroke: '#0891b2', points: { show: true } },
  { label: 'Rows out', stroke: '#16a34a', points: { show: true } },
];
const REJECTS: uPlot.Series[] = [
  {
    label: 'Reject ratio',
    stroke: '#dc2626',
    points: { show: true },
    value: (_u, v) => (v == null ? '—' : `${(v * 100).toFixed(2)} %`),
  },
];

export default function RunCharts({ runs }: { readonly runs: readonly RunSummary[] }) {
  const series = useMemo(() => runSeries(runs), [runs]);
  const durations = useMemo<uPlot.AlignedData>(() => [series.time, series.durationSeconds], [series]);
  const rows = useMemo<uPlot.AlignedData>(() => [series.time, series.rowsIn, series.rowsOut], [series]);
  const rejects = useMemo<uPlot.AlignedData>(() => [series.time, series.rejectRatio], [series]);
  if (series.time.length === 0) return <p>Charts appear once a run has finished.</p>;
  const hasRejects = series.rejectRatio.some((v) => v !== null);
  return (
    <div className="charts">
      <UPlotChart title="Run duration" data={durations} series={DURATION} />
      <UPlotChart title="Rows per run" data={rows} series={ROWS} />
      {hasRejects ? (
        <UPlotChart title="Reject ratio" data={rejects} series={REJECTS} />
      ) : (
        <p>
          The runs list reports no rejected-row counts (rowsRejected), so there is no reject ratio to draw.
        </p>
      )}
    </div>
  );
}
