export { Optimizer, type OptimizerConfig, type OptimizerState, type StepInfo } from './optimizer.js';
export { learningRateAt, type Schedule, type ScheduleConfig } from './schedules.js';
