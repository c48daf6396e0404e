// Drift charts: a metric over time windows (one line per feature, the threshold dashed), and a feature's
// live distribution beside its training distribution, bin by bin.
import uPlot from 'uplot';
import { useMemo } from 'preact/hooks';
import { Plot, axisStyle, colors, cssVar } from './plot.js';

/** `times`: each window's start (s); `end`: the last window's end, so one window still spans a width and the threshold draws as a line. */
export function OverTimeChart(props: { title: string; times: number[]; end: number; start?: number; series: Array<{ label: string; values: Array<number | null> }>; threshold: number | null; yLabel: string; testId?: string }) {
  const data = useMemo(() => {
    const xs = [...props.times, props.end];
    return [xs, ...props.series.map((s) => [...s.values, null]), ...(props.threshold !== null ? [xs.map(() => props.threshold)] : [])] as uPlot.AlignedData;
  }, [props.times, props.end, props.series, props.threshold]);
  const key = props.series.map((s) => s.label).join('|') + (props.threshold !== null ? '|t' : '');
  const options = () => {
    const c = colors();
    return {
      title: props.title,
      scales: { x: { time: true, range: [props.start ?? props.times[0] ?? props.end - 60, props.end] as uPlot.Range.MinMax } },
      axes: [axisStyle(), axisStyle(props.yLabel)],
      series: [
        {},
        ...props.series.map((s, i) => ({ label: s.label, stroke: c[i % c.length], width: 2, points: { show: true, size: 6 }, spanGaps: true })),
        ...(props.threshold !== null ? [{ label: 'threshold', stroke: cssVar('--danger'), dash: [6, 4], width: 1, points: { show: false } }] : []),
      ],
    };
  };
  return <Plot key={key} options={options} data={data} height={220} label={`${props.title} over time windows`} testId={props.testId} />;
}

/** Training share vs live share per reference bin (bars side by side). */
export function BinsChart(props: { title: string; expected: number[] | null; live: number[]; labels?: string[] }) {
  const total = props.live.reduce((s, c) => s + c, 0) || 1;
  const data = useMemo(
    () => [props.live.map((_, i) => i), props.expected ?? props.live.map(() => null), props.live.map((c) => c / total)] as uPlot.AlignedData,
    [props.live, props.expected, total],
  );
  const options = () => ({
    title: props.title,
    scales: { x: { time: false, range: [-0.6, props.live.length - 0.4] as uPlot.Range.MinMax }, y: { range: (_u: uPlot, _a: number, max: number) => [0, Math.max(0.05, max) * 1.1] as uPlot.Range.MinMax } },
    axes: [
      { ...axisStyle('bin'), values: (_u: uPlot, ticks: number[]) => ticks.map((t) => (Number.isInteger(t) ? (props.labels?.[t] ?? String(t + 1)) : '')) },
      axisStyle('share of rows'),
    ],
    series: [
      {},
      { label: props.expected ? 'training' : '(no reference)', show: !!props.expected, fill: cssVar('--muted'), stroke: cssVar('--muted'), paths: uPlot.paths.bars!({ size: [0.4, Infinity], align: -1 }), points: { show: false } },
      { label: 'live', fill: cssVar('--chart-2'), stroke: cssVar('--chart-2'), paths: uPlot.paths.bars!({ size: [0.4, Infinity], align: 1 }), points: { show: false } },
    ],
  });
  return <Plot options={options} data={data} height={220} label={`${props.title}: training and live shares per bin`} testId="drift-bins" />;
}
