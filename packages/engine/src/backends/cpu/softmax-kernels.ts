// Softmax family along the last axis, and the fused losses whose gradients are cheap closed forms.
import { allocFloat } from '../../kernels/float-storage.js';
import { registerKernel } from '../../kernels/registry.js';

function softmaxRows(x: ArrayLike<number>, rows: number, m: number, out: Float32Array, log: boolean): void {
  for (let r = 0; r < rows; r++) {
    const o = r * m;
    let mx = -Infinity;
    for (let j = 0; j < m; j++) if (x[o + j] > mx) mx = x[o + j];
    let s = 0;
    for (let j = 0; j < m; j++) s += Math.exp(x[o + j] - mx);
    if (log) {
      const lse = mx + Math.log(s);
      for (let j = 0; j < m; j++) out[o + j] = x[o + j] - lse;
    } else {
      for (let j = 0; j < m; j++) out[o + j] = Math.exp(x[o + j] - mx) / s;
    }
  }
}

for (const [name, log] of [['Softmax', false], ['LogSoftmax', true]] as const) {
  registerKernel({
    name,
    reference: ([x]) => {
      const m = x.shape[x.shape.length - 1];
      const out = allocFloat(x.values.length);
      softmaxRows(x.values, x.values.length / m, m, out, log);
      return [{ shape: x.shape, dtype: 'float32', values: out }];
    },
  });
}

// logits [N,C], labels int32 [N] → [loss [N], probs [N,C]] (probs kept for the gradient).
registerKernel({
  name: 'SparseSoftmaxCrossEntropy',
  reference: ([logits, labels]) => {
    const [n, c] = logits.shape;
    const probs = allocFloat(n * c);
    const loss = allocFloat(n);
    const x = logits.values;
    for (let r = 0; r < n; r++) {
      const o = r * c;
      let mx = -Infinity;
      for (let j = 0; j < c; j++) if (x[o + j] > mx) mx = x[o + j];
      let s = 0;
      for (let j = 0; j < c; j++) s += Math.exp(x[o + j] - mx);
      const lse = mx + Math.log(s);
      for (let j = 0; j < c; j++) probs[o + j] = Math.exp(x[o + j] - lse);
      const y = labels.values[r];
      if (y < 0 || y >= c) throw new Error(`softmaxCrossEntropy: label ${y} at row ${r} is outside [0, ${c})`);
      loss[r] = lse - x[o + y];
    }
    return [
      { shape: [n], dtype: 'float32', values: loss },
      { shape: [n, c], dtype: 'float32', values: probs },
    ];
  },
});

// Elementwise binary cross-entropy on logits: max(x,0) - x·z + log(1 + e^-|x|).
registerKernel({
  name: 'BceWithLogits',
  reference: ([logits, labels]) => {
    const x = logits.values, z = labels.values;
    const out = allocFloat(x.length);
    for (let i = 0; i < x.length; i++) {
      const v = x[i];
      out[i] = (v > 0 ? v : 0) - v * z[i] + Math.log1p(Math.exp(-Math.abs(v)));
    }
    return [{ shape: logits.shape, dtype: 'float32', values: out }];
  },
});
