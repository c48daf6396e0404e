export { bceWithLogitsLoss, softmaxCrossEntropyLoss, mseLoss, huberLoss, pairwiseRankingLoss, inBatchSoftmaxLoss } from './losses.js';
