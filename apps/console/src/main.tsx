import { render } from 'preact';
import 'uplot/dist/uPlot.min.css';
import './styles.css';
import { App } from './app.js';
import { applyStoredTheme } from './ui/theme.js';

applyStoredTheme();
render(<App />, document.getElementById('app')!);
