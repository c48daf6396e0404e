// The one chart library: uPlot (small, canvas, fast). This wrapper sizes a plot to its container,
// updates data in place (a live training curve redraws without re-creating the chart), and re-creates it
// when the theme changes so the canvas colours follow the CSS tokens.
import uPlot from 'uplot';
import { useEffect, useRef, useState } from 'preact/hooks';

export function cssVar(name: string): string {
  return getComputedStyle(document.documentElement).getPropertyValue(name).trim() || '#888';
}

export const THEME_EVENT = 'atelier:theme';

export function axisStyle(label?: string): uPlot.Axis {
  const text = cssVar('--muted');
  const grid = cssVar('--grid');
  return { label, stroke: text, grid: { stroke: grid, width: 1 }, ticks: { stroke: grid, width: 1 }, labelSize: label ? 20 : 0, font: '11px system-ui', labelFont: '12px system-ui' };
}

export interface PlotProps {
  /** Builds the options (called again when the theme changes); width/height are filled in here. */
  options: () => Omit<uPlot.Options, 'width' | 'height'>;
  data: uPlot.AlignedData;
  height?: number;
  /** What the chart shows, for screen readers (the canvas itself says nothing). */
  label: string;
  testId?: string;
}

export function Plot({ options, data, height = 220, label, testId }: PlotProps) {
  const box = useRef<HTMLDivElement>(null);
  const plot = useRef<uPlot | null>(null);
  const [theme, setTheme] = useState(0);
  const optionsRef = useRef(options);
  optionsRef.current = options;
  const dataRef = useRef(data);
  dataRef.current = data;

  useEffect(() => {
    const onTheme = () => setTheme((t) => t + 1);
    window.addEventListener(THEME_EVENT, onTheme);
    const mq = window.matchMedia?.('(prefers-color-scheme: dark)');
    mq?.addEventListener?.('change', onTheme);
    return () => {
      window.removeEventListener(THEME_EVENT, onTheme);
      mq?.removeEventListener?.('change', onTheme);
    };
  }, []);

  useEffect(() => {
    const el = box.current;
    if (!el) return;
    const width = Math.max(200, el.clientWidth);
    const u = new uPlot({ ...optionsRef.current(), width, height }, dataRef.current, el);
    plot.current = u;
    const ro = new ResizeObserver(() => {
      const w = Math.max(200, el.clientWidth);
      if (Math.abs(w - u.width) > 2) u.setSize({ width: w, height });
    });
    ro.observe(el);
    return () => {
      ro.disconnect();
      u.destroy();
      plot.current = null;
    };
  }, [theme, height]);

  useEffect(() => {
    plot.current?.setData(data);
  }, [data]);

  return <div class="chart" ref={box} role="img" aria-label={label} data-testid={testId} data-points={data[0]?.length ?? 0} />;
}

export const colors = () => [cssVar('--chart-1'), cssVar('--chart-2'), cssVar('--chart-3'), cssVar('--chart-4')];
