export class DivergenceError extends Error {
  constructor(readonly epoch: number, readonly step: number, readonly loss: number) {
    super(`training diverged: loss is ${loss} at epoch ${epoch}, step ${step}; lower the learning rate, enable clipNorm, or check the inputs for NaN/Inf`);
    this.name = 'DivergenceError';
  }
}
