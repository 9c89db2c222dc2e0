/** One uPlot chart, sized to its container and rebuilt when its data or series change. */
import 'uplot/dist/uPlot.min.css';
import { useEffect, useRef } from 'react';
import uPlot from 'uplot';

interface UPlotChartProps {
  readonly title: string;
  readonly data: uPlot.AlignedData;
  readonly series: uPlot.Series[];
  readonly height?: number;
}

export function UPlotChart({ title, data, series, height = 220 }: UPlotChartProps) {
  const container = useRef<HTMLDivElement>(null);
  useEffect(() => {
    const element = container.current;
    if (!element) return;
    const chart = new uPlot(
      {
        title,
        width: Math.max(element.clientWidth, 300),
        height,
        series: [{}, ...series],
        scales: { x: { time: true } },
      },
      data,
      element,
    );
    const observer = new ResizeObserver(() =>
      chart.setSize({ width: Math.max(element.clientWidth, 300), height }),
    );
    observer.observe(element);
    return () => {
      observer.disconnect();
      chart.destroy();
    };
  }, [title, data, series, height]);
  return <figure ref={container} className="chart" aria-label={title} />;
}
