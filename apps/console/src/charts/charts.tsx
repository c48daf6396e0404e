// The console's charts, all on the Plot wrapper: line curves (training metrics over epochs), histograms
// (dataset profiles), and the evaluation's ROC / precision-recall / calibration curves.
import uPlot from 'uplot';
import { useMemo } from 'preact/hooks';
import { Plot, axisStyle, colors, cssVar } from './plot.js';

export interface LineSeries {
  label: string;
  values: Array<number | null>;
}

export function LineChart(props: { title: string; x: number[]; series: LineSeries[]; xLabel?: string; yLabel?: string; height?: number; testId?: string }) {
  const data = useMemo(() => [props.x, ...props.series.map((s) => s.values)] as uPlot.AlignedData, [props.x, props.series]);
  const labels = props.series.map((s) => s.label).join('|');
  const options = () => {
    const c = colors();
    return {
      title: props.title,
      scales: { x: { time: false } },
      axes: [axisStyle(props.xLabel), axisStyle(props.yLabel)],
      series: [{ label: props.xLabel ?? 'x' }, ...props.series.map((s, i) => ({ label: s.label, stroke: c[i % c.length], width: 2, points: { show: props.x.length < 40, size: 5 }, spanGaps: true }))],
      legend: { show: true },
    };
  };
  return <Plot key={labels} options={options} data={data} height={props.height} label={`${props.title}: ${props.series.map((s) => s.label).join(', ')} over ${props.xLabel ?? 'x'}`} testId={props.testId} />;
}

/** A numeric histogram: bars from each bin's lower to upper edge. */
export function Histogram(props: { bins: Array<{ lower: number; upper: number; count: number }>; label: string; height?: number }) {
  const data = useMemo(() => [props.bins.map((b) => b.lower), props.bins.map((b) => b.count)] as uPlot.AlignedData, [props.bins]);
  const lo = props.bins[0]?.lower ?? 0;
  const hi = props.bins[props.bins.length - 1]?.upper ?? 1;
  const options = () => ({
    scales: { x: { time: false, range: [lo, hi === lo ? lo + 1 : hi] as uPlot.Range.MinMax }, y: { range: (_u: uPlot, _min: number, max: number) => [0, Math.max(1, max) * 1.08] as uPlot.Range.MinMax } },
    axes: [{ ...axisStyle(), size: 30 }, { ...axisStyle(), size: 40 }],
    legend: { show: false },
    cursor: { drag: { x: false, y: false } },
    series: [{}, { label: 'rows', fill: cssVar('--chart-1'), stroke: cssVar('--chart-1'), paths: uPlot.paths.bars!({ size: [0.92, Infinity], align: 1 }), points: { show: false } }],
  });
  return <Plot options={options} data={data} height={props.height ?? 140} label={`Histogram of ${props.label}`} testId="histogram" />;
}

/** ROC or PR: the curve and, for ROC, the chance diagonal. Both axes 0..1. */
export function CurveChart(props: { kind: 'roc' | 'pr' | 'calibration'; x: Array<number | null>; y: Array<number | null>; title: string; xLabel: string; yLabel: string }) {
  const data = useMemo(() => {
    // uPlot wants x ascending: sort the points by x (ties keep their order).
    const pts = props.x.map((x, i) => [x, props.y[i]] as const).filter(([x]) => x !== null) as Array<[number, number | null]>;
    pts.sort((a, b) => a[0] - b[0]);
    const xs = pts.map((p) => p[0]);
    const diag = props.kind === 'pr' ? xs.map(() => null) : xs.map((x) => x);
    return [xs, pts.map((p) => p[1]), diag] as uPlot.AlignedData;
  }, [props.x, props.y, props.kind]);
  const options = () => ({
    title: props.title,
    scales: { x: { time: false, range: [0, 1] as uPlot.Range.MinMax }, y: { range: [0, 1] as uPlot.Range.MinMax } },
    axes: [axisStyle(props.xLabel), axisStyle(props.yLabel)],
    series: [
      { label: props.xLabel },
      { label: props.yLabel, stroke: cssVar('--chart-1'), width: 2, points: { show: props.kind === 'calibration', size: 6 }, spanGaps: true },
      { label: props.kind === 'calibration' ? 'perfectly calibrated' : 'chance', stroke: cssVar('--muted'), dash: [4, 4], width: 1, points: { show: false } },
    ],
  });
  return <Plot options={options} data={data} height={260} label={`${props.title} curve`} testId={`curve-${props.kind}`} />;
}
